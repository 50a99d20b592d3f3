// Placeholder until the Chevrotain front-end lands (grammar/ + CST visitor).
import type { FormulaNode } from './ast.ts';
import type { FormulaDiagnostic } from './diagnostics.ts';

export function parseStringFormula(source: string): { ast: FormulaNode | undefined; diagnostics: FormulaDiagnostic[] } {
  throw new Error(`string syntax not implemented yet: ${source}`);
}
