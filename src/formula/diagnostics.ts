/**
 * Diagnostics of the formula layer: stable codes, a span, and a message formatted with a caret
 * excerpt. Parsing collects them; only the convenience wrappers throw `FormulaSyntaxError`.
 */
import type { SourceSpan, TextSpan } from './ast.ts';

/** Severity of a diagnostic; the meta layer uses the same two (`MetaSeverity`). */
export type DiagnosticSeverity = 'error' | 'warning';

/** Stable diagnostic codes: tests and tools match on these, never on the wording. */
export const DiagnosticCodes = {
  /** Unexpected or missing token in a string formula. */
  syntax: 'E_SYNTAX',
  /** A `'` with no closing quote. */
  unterminatedQuote: 'E_UNTERMINATED_QUOTE',
  /** A call of a name that is not in the function library (string syntax). */
  unknownFunction: 'E_UNKNOWN_FUNCTION',
  /** `(` with no function name before it. */
  missingFunctionName: 'E_MISSING_FUNCTION_NAME',
  /** A `$` with no attribute name, or an empty segment (`$a..b`). */
  badPath: 'E_BAD_PATH',
  /** A formula value that is neither a string, number, boolean, null, array nor object. */
  badValue: 'E_BAD_VALUE',
  /** Formula nesting deeper than the limit. */
  tooDeep: 'E_TOO_DEEP',
  /** Text after a call's `)` that ION silently drops. */
  ignoredText: 'W_IGNORED_TEXT',
  /** An object-syntax key that names no function: the object becomes plain data. */
  unknownKey: 'W_UNKNOWN_KEY',
  /** Object-syntax arguments that are not an array: ION passes none. */
  argsNotArray: 'W_ARGS_NOT_ARRAY',
  /** More keys after the function key in an object call: ION ignores them. */
  extraKeys: 'W_EXTRA_KEYS',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export interface FormulaDiagnostic {
  readonly code: DiagnosticCode;
  readonly severity: DiagnosticSeverity;
  readonly message: string;
  readonly span: SourceSpan;
}

/** Line and column (1-based) of an offset in a text. */
export function positionOf(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Builds a text span for `[start, end)` of `source`. */
export function textSpan(source: string, start: number, end: number): TextSpan {
  const { line, column } = positionOf(source, start);
  return { kind: 'text', start, end, line, column };
}

/** The source line of a text span with a caret line under it (`^~~~` over the span). */
export function caretExcerpt(source: string, span: TextSpan): string {
  const lineStart = source.lastIndexOf('\n', span.start - 1) + 1;
  const nextBreak = source.indexOf('\n', span.start);
  const lineEnd = nextBreak === -1 ? source.length : nextBreak;
  const text = source.slice(lineStart, lineEnd);
  const pad = text.slice(0, span.start - lineStart).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
  return `${text}\n${pad}^${'~'.repeat(width - 1)}`;
}

/**
 * The first line of a diagnostic as compilers print it: `where: severity: message [code]`.
 * Shared by the formula and meta formatters; they differ in `where`, the class scope meta adds to
 * the message, and the excerpt (see `caretExcerpt` and `metaExcerpt`).
 */
export function diagnosticLine(where: string, severity: DiagnosticSeverity, message: string, code: string): string {
  return `${where}: ${severity}: ${message} [${code}]`;
}

/** Formats a diagnostic the way compilers do: `line:col: error: message` plus the excerpt. */
export function formatDiagnostic(diagnostic: FormulaDiagnostic, source?: string): string {
  const { span, severity, message, code } = diagnostic;
  if (span.kind === 'json') return diagnosticLine(span.pointer || '/', severity, message, code);
  const head = diagnosticLine(`${span.line}:${span.column}`, severity, message, code);
  return source === undefined ? head : `${head}\n${caretExcerpt(source, span)}`;
}

/**
 * Thrown by `parseFormula` for a formula that cannot be parsed. Carries the first error's code,
 * position and a caret excerpt, and every diagnostic found.
 */
export class FormulaSyntaxError extends Error {
  override readonly name = 'FormulaSyntaxError';
  readonly code: DiagnosticCode;
  /** 1-based; 0 for object-syntax formulas. */
  readonly line: number;
  /** 1-based; 0 for object-syntax formulas. */
  readonly column: number;
  /** 0-based character offset; -1 for object-syntax formulas. */
  readonly offset: number;
  /** JSON pointer of the offending value in an object-syntax formula. */
  readonly pointer: string | undefined;
  /** The source line with a caret under the spot (empty for object syntax). */
  readonly excerpt: string;
  readonly span: SourceSpan;
  readonly diagnostics: readonly FormulaDiagnostic[];

  constructor(diagnostics: readonly FormulaDiagnostic[], source: string | undefined) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    if (!first) throw new Error('FormulaSyntaxError needs at least one diagnostic');
    const span = first.span;
    const excerpt = span.kind === 'text' && source !== undefined ? caretExcerpt(source, span) : '';
    const where = span.kind === 'text' ? `line ${span.line}, column ${span.column}` : `at ${span.pointer || '/'}`;
    super(`${first.message} (${where})${excerpt ? `\n${excerpt}` : ''}`);
    this.code = first.code;
    this.span = span;
    this.line = span.kind === 'text' ? span.line : 0;
    this.column = span.kind === 'text' ? span.column : 0;
    this.offset = span.kind === 'text' ? span.start : -1;
    this.pointer = span.kind === 'json' ? span.pointer : undefined;
    this.excerpt = excerpt;
    this.diagnostics = diagnostics;
  }
}
