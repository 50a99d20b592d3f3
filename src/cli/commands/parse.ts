/** `recalc parse '<formula>'`: prints the AST as JSON, or the error with a caret (exit 1). */
import type { Command } from 'commander';
import { FormulaSyntaxError, formatDiagnostic } from '../../formula/diagnostics.ts';
import { parseFormula } from '../../formula/parse.ts';
import { CliError, type CliIo } from '../io.ts';
import { readFormulaArgument } from '../formula-argument.ts';

export function registerParse(program: Command, io: CliIo): void {
  program
    .command('parse')
    .description('print the AST of a formula as JSON (string syntax, or object syntax with --json)')
    .argument('<formula>', 'the formula text')
    .option('--json', 'the argument is an object-syntax formula written as JSON')
    .option('--no-spans', 'leave source spans out of the output')
    .action((formula: string, opts: { json?: boolean; spans: boolean }) => {
      const source = readFormulaArgument(formula, opts.json === true);
      try {
        const parsed = parseFormula(source);
        for (const warning of parsed.warnings) io.err(formatDiagnostic(warning, parsed.source));
        const replacer = opts.spans ? undefined : (key: string, value: unknown) => (key === 'span' ? undefined : value);
        io.out(JSON.stringify(parsed.ast, replacer, 2));
      } catch (error) {
        if (error instanceof FormulaSyntaxError) {
          const text = error.diagnostics
            .map((d) => formatDiagnostic(d, typeof source === 'string' ? source : undefined))
            .join('\n');
          throw new CliError(text, 1);
        }
        throw error;
      }
    });
}
