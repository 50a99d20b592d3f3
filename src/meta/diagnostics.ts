/**
 * Problems found in class meta: a stable code, a severity, the file and position, and the class
 * and attribute concerned. Loading collects all of them in one pass; nothing throws for bad meta.
 */
import { diagnosticLine, type DiagnosticSeverity } from '../formula/diagnostics.ts';

/** The formula layer's severities (`error`, `warning`). */
export type MetaSeverity = DiagnosticSeverity;

/** Stable codes: tests and tools match on these, never on the wording. */
export const MetaCodes = {
  invalidJson: 'M_INVALID_JSON',
  unreadable: 'M_UNREADABLE',
  schema: 'M_SCHEMA',
  duplicateClass: 'M_DUPLICATE_CLASS',
  duplicateAttribute: 'M_DUPLICATE_ATTRIBUTE',
  unknownAncestor: 'M_UNKNOWN_ANCESTOR',
  inheritanceCycle: 'M_INHERITANCE_CYCLE',
  unknownRefClass: 'M_UNKNOWN_REF_CLASS',
  unknownItemsClass: 'M_UNKNOWN_ITEMS_CLASS',
  missingKey: 'M_MISSING_KEY',
  unknownKeyAttribute: 'M_UNKNOWN_KEY_ATTRIBUTE',
  unknownBackRef: 'M_UNKNOWN_BACK_REF',
  backRefNotPointingBack: 'M_BACK_REF_NOT_POINTING_BACK',
  unknownBackColl: 'M_UNKNOWN_BACK_COLL',
  formulaSyntax: 'M_FORMULA_SYNTAX',
  formulaWarning: 'M_FORMULA_WARNING',
  unknownFunction: 'M_UNKNOWN_FUNCTION',
  arity: 'M_ARITY',
  extraArguments: 'W_EXTRA_ARGUMENTS',
  unknownAttribute: 'M_UNKNOWN_ATTRIBUTE',
  pathThroughScalar: 'M_PATH_THROUGH_SCALAR',
  unknownClassInFormula: 'M_UNKNOWN_CLASS_IN_FORMULA',
  subclassAttribute: 'W_SUBCLASS_ATTRIBUTE',
  unconsumedLazy: 'W_UNCONSUMED_LAZY',
  badCacheDependency: 'M_BAD_CACHE_DEPENDENCY',
  undeclaredDependency: 'W_UNDECLARED_DEPENDENCY',
  unneededDependency: 'W_UNNEEDED_DEPENDENCY',
  dependencyCycle: 'W_DEPENDENCY_CYCLE',
  unboundRead: 'W_UNBOUND_READ',
} as const;

export type MetaCode = (typeof MetaCodes)[keyof typeof MetaCodes];

export interface MetaDiagnostic {
  readonly code: MetaCode;
  readonly severity: MetaSeverity;
  readonly message: string;
  /** Path of the class file, as given to the loader. */
  readonly file: string;
  /** 1-based position in the file (0 when unknown). */
  readonly line: number;
  readonly column: number;
  /** JSON pointer of the offending value in the file (for object-syntax formulas: into the formula). */
  readonly pointer?: string;
  readonly className?: string;
  readonly attribute?: string;
  /** For string formulas: the 1-based position inside the formula text. */
  readonly formulaLine?: number;
  readonly formulaColumn?: number;
  /** The formula-layer code behind a formula diagnostic (`E_SYNTAX`, …). */
  readonly formulaCode?: string;
}

/** `file:line:col: error: message (Class.attribute) [code]`, as compilers print it. */
export function formatMetaDiagnostic(d: MetaDiagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${d.column}` : d.file;
  const scope = d.className ? ` (${d.className}${d.attribute ? `.${d.attribute}` : ''})` : '';
  return diagnosticLine(where, d.severity, `${d.message}${scope}`, d.code);
}

/** Errors first by file and position, then warnings; stable for equal keys. */
export function sortDiagnostics(list: readonly MetaDiagnostic[]): MetaDiagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

export const hasErrors = (list: readonly MetaDiagnostic[]): boolean => list.some((d) => d.severity === 'error');

/**
 * The file line of a diagnostic with a caret under its column (long lines are cut to a window
 * around it), or '' when the position is unknown.
 */
export function metaExcerpt(d: MetaDiagnostic, text: string, width = 100): string {
  if (d.line <= 0) return '';
  const line = text.split('\n')[d.line - 1];
  if (line === undefined) return '';
  const from = Math.max(0, Math.min(d.column - 1 - Math.floor(width / 2), line.length - width));
  const shown = line.slice(from, from + width).replace(/\t/g, ' ');
  const prefix = from > 0 ? '…' : '';
  const suffix = from + width < line.length ? '…' : '';
  return `${prefix}${shown}${suffix}\n${' '.repeat(prefix.length + d.column - 1 - from)}^`;
}
