/**
 * `recalc eval`: evaluates a formula and prints the value as JSON (dates, NaN and objects in the
 * conformance encoding).
 * - against a plain object: `--formula F --object JSON`;
 * - against stored objects: `--meta DIR (--data FILE | --db PATH) --class C --id ID (--attr A | --formula F)`,
 *   or `--batch FILE` with lines `{"class","id","formula"}` / `{"class","id","attr"}`, one JSON
 *   line out per case (`{"value": …}` or `{"error": "…"}`), in order.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { castToPropertyType } from '../../formula/cast.ts';
import { compileFormula } from '../../formula/compile.ts';
import { FormulaSyntaxError, formatDiagnostic } from '../../formula/diagnostics.ts';
import { FormulaRuntimeError } from '../../formula/runtime.ts';
import { decodeValue, encodeValue } from '../../formula/value-encoding.ts';
import { createRecomputeContext, evaluateFormula, readAttribute, rebuildAll, type Evaluation } from '../../recompute/index.ts';
import type { RecomputeContext } from '../../recompute/index.ts';
import { SYSTEM_ATTRIBUTES } from '../../meta/model.ts';
import { metaDirOf, openMetaOrFail } from '../context.ts';
import { readFormulaArgument, readJsonOption } from '../formula-argument.ts';
import { CliError, type CliIo } from '../io.ts';
import { openStoreFromOptions, withStoreOptions } from '../store-options.ts';

interface EvalOptions {
  formula?: string;
  object?: string;
  json?: boolean;
  now?: string;
  locale?: string;
  type?: string;
  meta?: string;
  data?: string;
  db?: string;
  class?: string;
  id?: string;
  attr?: string;
  batch?: string;
  rebuild: boolean;
}

export function registerEval(program: Command, io: CliIo): void {
  const command = program
    .command('eval')
    .description('evaluate a formula against a plain JSON object, or against stored objects with --meta')
    .option('-f, --formula <formula>', 'the formula (string syntax, or object syntax with --json)')
    .option('-o, --object <json>', 'the context object as JSON (links as nested objects/arrays)')
    .option('--json', 'the formula is object syntax written as JSON')
    .option('--now <iso>', 'fixed clock for now() (ISO 8601)')
    .option('--locale <locale>', 'moment.js locale for date functions', 'en')
    .option('--type <code>', 'cast the result to this ION property type code (e.g. 6 INT, 0 STRING)')
    .option('--meta <dir>', 'class meta directory: evaluate against stored objects')
    .option('--class <name>', 'with --meta: the class of the object')
    .option('--id <id>', 'with --meta: the id of the object')
    .option('--attr <name>', 'with --meta: print this attribute as a read gives it')
    .option('--batch <file>', 'with --meta: cases, one JSON line each {"class","id","formula"|"attr"}')
    .option('--no-rebuild', 'with --data: evaluate the stored values as they are, without recomputing caches first');
  withStoreOptions(command, { data: true, mongo: false });
  command.action(async (opts: EvalOptions) => {
    const now = parseNow(opts.now);
    const type = parseType(opts.type);
    if (opts.meta !== undefined || opts.data !== undefined || opts.batch !== undefined) {
      await evalStored(opts, io, now, type);
      return;
    }
    if (opts.formula === undefined) throw new CliError('--formula is required (or --meta … --attr)', 1);
    const source = readFormulaArgument(opts.formula, opts.json === true);
    const target = decodeValue(readJsonOption(opts.object ?? '{}', '--object'));
    if (target === null || typeof target !== 'object' || Array.isArray(target)) throw new CliError('--object: must be a JSON object', 1);
    guardFormula(source, () => {
      const compiled = compileFormula(source);
      for (const warning of compiled.warnings) io.err(formatDiagnostic(warning, typeof source === 'string' ? source : undefined));
      let value = compiled.evaluate(target, { locale: opts.locale ?? 'en', ...(now ? { now } : {}) });
      if (type !== undefined) value = castToPropertyType(value, type);
      io.out(JSON.stringify(encodeValue(value)));
    });
  });
}

function parseNow(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const now = new Date(text);
  if (Number.isNaN(now.getTime())) throw new CliError(`--now: not a date: ${text}`, 1);
  return now;
}

function parseType(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const type = Number(text);
  if (!Number.isInteger(type)) throw new CliError(`--type: not a type code: ${text}`, 1);
  return type;
}

/** Runs `work`, turning formula errors into a CLI error with positions. */
function guardFormula<T>(source: unknown, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof FormulaSyntaxError) {
      const text = typeof source === 'string' ? source : undefined;
      throw new CliError(error.diagnostics.map((d) => formatDiagnostic(d, text)).join('\n'), 1);
    }
    if (error instanceof FormulaRuntimeError) throw new CliError(`error: ${error.message}`, 1);
    throw error;
  }
}

interface EvalCase {
  readonly class: string;
  readonly id: string;
  readonly formula?: unknown;
  readonly attr?: string;
}

async function evaluateCase(ctx: RecomputeContext, c: EvalCase): Promise<Evaluation> {
  const ref = { class: c.class, id: c.id };
  if (c.attr !== undefined) {
    const cls = ctx.meta.repository.find(c.class);
    if (cls && !cls.propertyByName.has(c.attr) && !SYSTEM_ATTRIBUTES.has(c.attr)) {
      throw new CliError(`class ${cls.canonicalName} has no attribute ${c.attr}`, 1);
    }
  }
  return c.attr !== undefined ? readAttribute(ctx, ref, c.attr) : evaluateFormula(ctx, ref, c.formula);
}

function readBatch(file: string): EvalCase[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 1);
  }
  const problems: string[] = [];
  const cases: EvalCase[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      problems.push(`${file}:${i + 1}: not valid JSON: ${(error as Error).message}`);
      return;
    }
    const c = value as Partial<EvalCase> & Record<string, unknown>;
    const id = typeof c.id === 'number' ? String(c.id) : c.id;
    if (typeof c.class !== 'string' || typeof id !== 'string' || (c.formula === undefined) === (c.attr === undefined)) {
      problems.push(`${file}:${i + 1}: expected {"class", "id", and one of "formula" or "attr"}`);
      return;
    }
    cases.push({ class: c.class, id, ...(c.attr !== undefined ? { attr: String(c.attr) } : { formula: c.formula }) });
  });
  if (problems.length > 0) throw new CliError(problems.join('\n'), 1);
  return cases;
}

async function evalStored(opts: EvalOptions, io: CliIo, now: Date | undefined, type: number | undefined): Promise<void> {
  const meta = openMetaOrFail(metaDirOf(opts.meta), io);
  let single: EvalCase | undefined;
  if (opts.batch === undefined) {
    if (opts.class === undefined || opts.id === undefined) throw new CliError('--meta needs --class C and --id ID (or --batch FILE)', 1);
    if ((opts.attr === undefined) === (opts.formula === undefined)) throw new CliError('give one of --attr NAME or --formula F', 1);
    if (!meta.repository.find(opts.class)) throw new CliError(`--class: no class ${opts.class} in the meta`, 1);
    const formula = opts.formula === undefined ? undefined : readFormulaArgument(opts.formula, opts.json === true);
    single = { class: opts.class, id: opts.id, ...(opts.attr !== undefined ? { attr: opts.attr } : { formula }) };
  }
  const cases = single ? [single] : readBatch(opts.batch as string);
  const { store, kind } = await openStoreFromOptions(opts, meta);
  try {
    const ctx = createRecomputeContext(meta, store, { journal: false, ...(now ? { now } : {}) });
    // A data file is a snapshot whose cached values may be missing or stale: settle them first.
    if (kind === 'data' && opts.rebuild) await rebuildAll(ctx);
    if (single) {
      const evaluation = await guardFormula(single.formula, () => evaluateCase(ctx, single)).catch((error: unknown) => {
        throw error instanceof CliError ? error : new CliError(`error: ${(error as Error).message}`, 1);
      });
      io.out(JSON.stringify(type === undefined ? evaluation.encoded() : encodeValue(evaluation.cast(type), evaluation.graph)));
      return;
    }
    for (const c of cases) {
      try {
        io.out(JSON.stringify({ value: (await evaluateCase(ctx, c)).encoded() }));
      } catch (error) {
        io.out(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
      }
    }
  } finally {
    await store.close();
  }
}
