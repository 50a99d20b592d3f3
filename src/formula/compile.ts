/**
 * `compileFormula`: parse once, generate an evaluator per read mode on first use, evaluate
 * synchronously. Compiled formulas are cached by their source text.
 */
import type { FormulaNode } from './ast.ts';
import { CodeGenerator, type ReadMode } from './codegen.ts';
import type { FormulaDiagnostic } from './diagnostics.ts';
import { binaryOps } from './functions/binary-ops.ts';
import { primitiveOf } from './functions/coerce.ts';
import { getFunction } from './functions/index.ts';
import type { ObjectGraph } from './graph.ts';
import { parseFormula } from './parse.ts';
import { isPlainGraphObject, PlainObjectGraph } from './plain-graph.ts';
import { collectReads, type FormulaRead } from './reads.ts';
import { FormulaRuntimeError, LazyFormula, walkPath, type EvalEnv } from './runtime.ts';

/** Options of one evaluation. All optional; unknown keys are rejected. */
export interface EvaluateOptions {
  /** The graph `target` belongs to. Default: `target` is a plain JS object (links nested). */
  readonly graph?: ObjectGraph;
  /** Clock for `now()` and date defaults: a fixed date or a function. Default: the system clock. */
  readonly now?: Date | (() => Date);
  /** moment.js locale for date functions given none. Default `en` (ION's global moment locale). */
  readonly locale?: string;
  /** Provider of `next(name)` sequences. Default: none (`next` throws). */
  readonly sequences?: { next(name: string): number };
  /** Receives non-fatal notes raised while evaluating. Default: ignored. */
  readonly onWarning?: (message: string) => void;
}

const OPTION_KEYS = new Set(['graph', 'now', 'locale', 'sequences', 'onWarning']);

type Evaluator = (o: unknown) => unknown;
type Binder = (g: ObjectGraph, env: EvalEnv) => Evaluator;

/** A compiled formula. */
export interface CompiledFormula {
  /** The AST. */
  readonly ast: FormulaNode;
  /** The syntax the formula was written in. */
  readonly syntax: 'string' | 'object';
  /** Warnings found while parsing (ignored text, unknown keys). */
  readonly warnings: readonly FormulaDiagnostic[];
  /** What the formula reads: paths from the context object and whole classes. */
  readonly reads: readonly FormulaRead[];
  /**
   * Evaluates the formula for `target`: a plain object (attributes as properties, references as
   * nested objects, collections as arrays of objects) or, with `options.graph`, an object of
   * that graph. Returns ION's value (uncast).
   * @throws FormulaRuntimeError where ION throws (e.g. `count(x, null, 1)`).
   */
  evaluate(target: unknown, options?: EvaluateOptions): unknown;
  /** Binds options once and returns a fast `(target) => value` for evaluating many objects. */
  bind(options?: EvaluateOptions): (target: unknown) => unknown;
}

const DEFAULT_PLAIN_GRAPH = new PlainObjectGraph();

function emptyObject(): object {
  return Object.freeze(Object.create(null) as object);
}

/** Builds an object from keys and values as own data properties (a `__proto__` key is just a key). */
function buildObject(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  keys.forEach((key, i) =>
    Object.defineProperty(out, key, { value: values[i], enumerable: true, writable: true, configurable: true }),
  );
  return out;
}

function makeEnv(graph: ObjectGraph, options: EvaluateOptions): EvalEnv {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`unknown evaluate option "${key}"`);
  }
  const { now } = options;
  return {
    graph,
    now: now === undefined ? () => new Date() : now instanceof Date ? () => new Date(now.getTime()) : now,
    locale: options.locale ?? 'en',
    sequences: options.sequences,
    warn: options.onWarning ?? (() => undefined),
  };
}

const DEFAULT_ENV = makeEnv(DEFAULT_PLAIN_GRAPH, {});

function notAnObject(target: unknown): TypeError {
  return new TypeError(`evaluate expects an object (attributes as properties) or options.graph, got ${target === null ? 'null' : typeof target}`);
}

/** Any error that is not ION's own becomes a FormulaRuntimeError (the worker does not retry those). */
function toRuntimeError(error: unknown): Error {
  if (error instanceof FormulaRuntimeError) return error;
  return new FormulaRuntimeError(error instanceof Error ? error.message : String(error));
}

/** What a JS operator sees of a value: objects and arrays as their text, as ION's Item.toString. */
function operandOf(graph: ObjectGraph, value: unknown): unknown {
  return typeof value === 'object' && value !== null ? primitiveOf(graph, value) : value;
}

/** ION's `Item.get` of a link: a linked object is its id, a collection its ids. */
function storedValue(graph: ObjectGraph, value: unknown): unknown {
  if (graph.isObject(value)) return graph.idOf(value);
  if (Array.isArray(value)) return value.map((v) => (graph.isObject(v) ? graph.idOf(v) : v));
  return value;
}

class Compiled implements CompiledFormula {
  readonly ast: FormulaNode;
  readonly syntax: 'string' | 'object';
  readonly warnings: readonly FormulaDiagnostic[];
  private cachedReads: readonly FormulaRead[] | undefined;
  private plainBinder: Binder | undefined;
  private graphBinder: Binder | undefined;
  private defaultFn: Evaluator | undefined;

  constructor(source: unknown) {
    const parsed = parseFormula(source);
    this.ast = parsed.ast;
    this.syntax = parsed.syntax;
    this.warnings = parsed.warnings;
  }

  get reads(): readonly FormulaRead[] {
    this.cachedReads ??= collectReads(this.ast);
    return this.cachedReads;
  }

  evaluate(target: unknown, options?: EvaluateOptions): unknown {
    if (options === undefined) {
      this.defaultFn ??= this.binder('plain')(DEFAULT_PLAIN_GRAPH, DEFAULT_ENV);
      return this.defaultFn(target);
    }
    return this.bind(options)(target);
  }

  bind(options: EvaluateOptions = {}): (target: unknown) => unknown {
    const graph = options.graph;
    const env = makeEnv(graph ?? DEFAULT_PLAIN_GRAPH, options);
    return graph ? this.binder('graph')(graph, env) : this.binder('plain')(DEFAULT_PLAIN_GRAPH, env);
  }

  private binder(mode: ReadMode): Binder {
    if (mode === 'plain' && this.plainBinder) return this.plainBinder;
    if (mode === 'graph' && this.graphBinder) return this.graphBinder;
    const code = new CodeGenerator(mode, (name) => getFunction(name)?.impl).generate(this.ast);
    // The source holds no formula text (see codegen.ts): strings are JSON-escaped, constants and
    // functions are passed in arrays.
    const factory = new Function('K', 'F', 'W', 'LZ', 'OBJ', 'EMPTY', 'SV', 'WRAP', 'NOT_OBJECT', 'OPS', 'ISOBJ', 'PRIM', code.source) as (
      ...args: unknown[]
    ) => Binder;
    const binder = factory(
      code.constants, code.functions, walkPath, LazyFormula, buildObject, emptyObject(), storedValue, toRuntimeError, notAnObject, binaryOps, isPlainGraphObject, operandOf,
    );
    if (mode === 'plain') this.plainBinder = binder;
    else this.graphBinder = binder;
    return binder;
  }
}

const CACHE_LIMIT = 10_000;
const cache = new Map<string, Compiled>();

/** Options of `compileFormula`. */
export interface CompileOptions {
  /** Reuse a formula compiled earlier from the same source text. Default true. */
  readonly cache?: boolean;
}

/**
 * Compiles an ION formula (string or object syntax) into a synchronous evaluator.
 * @throws FormulaSyntaxError when the formula does not parse.
 */
export function compileFormula(source: unknown, options: CompileOptions = {}): CompiledFormula {
  if (options.cache === false) return new Compiled(source);
  const key = typeof source === 'string' ? `s${source}` : `o${JSON.stringify(source)}`;
  let compiled = cache.get(key);
  if (!compiled) {
    compiled = new Compiled(source);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, compiled);
  }
  return compiled;
}
