/**
 * `recalc eval --formula '<formula>' --object '<json>'`: evaluates a formula against a plain
 * object and prints the value as JSON (dates, NaN, objects in the conformance encoding).
 */
import type { Command } from 'commander';
import { compileFormula } from '../../formula/compile.ts';
import { castToPropertyType } from '../../formula/cast.ts';
import { FormulaSyntaxError, formatDiagnostic } from '../../formula/diagnostics.ts';
import { decodeValue, encodeValue } from '../../formula/value-encoding.ts';
import { FormulaRuntimeError } from '../../formula/runtime.ts';
import { CliError, type CliIo } from '../io.ts';
import { readFormulaArgument, readJsonOption } from '../formula-argument.ts';

interface EvalOptions {
  formula: string;
  object?: string;
  json?: boolean;
  now?: string;
  locale?: string;
  type?: string;
}

export function registerEval(program: Command, io: CliIo): void {
  program
    .command('eval')
    .description('evaluate a formula against a plain JSON object')
    .requiredOption('-f, --formula <formula>', 'the formula (string syntax, or object syntax with --json)')
    .option('-o, --object <json>', 'the context object as JSON (links as nested objects/arrays)', '{}')
    .option('--json', 'the formula is object syntax written as JSON')
    .option('--now <iso>', 'fixed clock for now() (ISO 8601)')
    .option('--locale <locale>', 'moment.js locale for date functions', 'en')
    .option('--type <code>', 'cast the result to this ION property type code (e.g. 6 INT, 0 STRING)')
    .action((opts: EvalOptions) => {
      const source = readFormulaArgument(opts.formula, opts.json === true);
      const target = decodeValue(readJsonOption(opts.object ?? '{}', '--object'));
      if (target === null || typeof target !== 'object' || Array.isArray(target)) {
        throw new CliError('--object: must be a JSON object', 1);
      }
      let now: Date | undefined;
      if (opts.now !== undefined) {
        now = new Date(opts.now);
        if (Number.isNaN(now.getTime())) throw new CliError(`--now: not a date: ${opts.now}`, 1);
      }
      let type: number | undefined;
      if (opts.type !== undefined) {
        type = Number(opts.type);
        if (!Number.isInteger(type)) throw new CliError(`--type: not a type code: ${opts.type}`, 1);
      }
      try {
        const compiled = compileFormula(source);
        for (const warning of compiled.warnings) {
          io.err(formatDiagnostic(warning, typeof source === 'string' ? source : undefined));
        }
        let value = compiled.evaluate(target, { locale: opts.locale ?? 'en', ...(now ? { now } : {}) });
        if (type !== undefined) value = castToPropertyType(value, type);
        io.out(JSON.stringify(encodeValue(value)));
      } catch (error) {
        if (error instanceof FormulaSyntaxError) {
          throw new CliError(
            error.diagnostics.map((d) => formatDiagnostic(d, typeof source === 'string' ? source : undefined)).join('\n'),
            1,
          );
        }
        if (error instanceof FormulaRuntimeError) throw new CliError(`error: ${error.message}`, 1);
        throw error;
      }
    });
}
