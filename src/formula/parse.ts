/**
 * `parseFormula`: either syntax to one AST. Strings go through the Chevrotain grammar
 * (`grammar/`), anything else through the object syntax; both report the same diagnostics.
 */
import type { FormulaNode } from './ast.ts';
import { FormulaSyntaxError, type FormulaDiagnostic } from './diagnostics.ts';
import { parseObjectFormula } from './parse-object.ts';
import { parseStringFormula } from './parse-string.ts';

/** A parsed formula: the tree, the syntax it was written in and the warnings found. */
export interface ParsedFormula {
  readonly ast: FormulaNode;
  readonly syntax: 'string' | 'object';
  /** Source text for string formulas (spans are offsets into it). */
  readonly source: string | undefined;
  /** Non-fatal findings, e.g. text ION ignores after a `)` or a key that names no function. */
  readonly warnings: readonly FormulaDiagnostic[];
}

/** Parses without throwing: the AST (when there is no error) and every diagnostic. */
export function analyzeFormula(source: unknown): {
  readonly parsed: ParsedFormula | undefined;
  readonly diagnostics: readonly FormulaDiagnostic[];
} {
  const isText = typeof source === 'string';
  const { ast, diagnostics } = isText ? parseStringFormula(source) : parseObjectFormula(source);
  if (!ast || diagnostics.some((d) => d.severity === 'error')) return { parsed: undefined, diagnostics };
  return {
    parsed: {
      ast,
      syntax: isText ? 'string' : 'object',
      source: isText ? source : undefined,
      warnings: diagnostics.filter((d) => d.severity === 'warning'),
    },
    diagnostics,
  };
}

/**
 * Parses an ION formula in the string syntax (`count($a.b, &eq($c, x), 1)`) or the object
 * syntax (`{"count": ["$a.b", {"&eq": ["$c", "x"]}, 1]}`).
 * @throws FormulaSyntaxError with line, column, offset and a caret excerpt.
 */
export function parseFormula(source: unknown): ParsedFormula {
  const { parsed, diagnostics } = analyzeFormula(source);
  if (!parsed) throw new FormulaSyntaxError(diagnostics, typeof source === 'string' ? source : undefined);
  return parsed;
}
