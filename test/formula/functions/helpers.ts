/**
 * Shared helpers of the function-library tests: an `EvalEnv` over a `PlainObjectGraph` with a
 * fixed clock, lazy conditions, and a direct call of a library function by name.
 */
import { getFunction } from '../../../src/formula/functions/index.ts';
import { PlainObjectGraph, type PlainGraphOptions } from '../../../src/formula/plain-graph.ts';
import type { ObjectGraph } from '../../../src/formula/graph.ts';
import { LazyFormula, readDotted, type EvalEnv } from '../../../src/formula/runtime.ts';

/** The fixed "now" of every test env: 2024-03-15 12:00 UTC. */
export const NOW = new Date('2024-03-15T12:00:00.000Z');

export interface TestEnvOptions extends PlainGraphOptions {
  readonly graph?: ObjectGraph;
  readonly locale?: string;
  readonly sequences?: EvalEnv['sequences'];
}

/**
 * A graph over plain objects with only the methods every graph has, plus `extra` (e.g. an
 * `aggregate` spy): for testing what happens when a graph lacks `aggregate` or `findOne`.
 */
export function minimalGraph(extra: Partial<Pick<ObjectGraph, 'aggregate' | 'findOne'>> = {}): ObjectGraph {
  const plain = new PlainObjectGraph();
  return {
    get: (o, n) => plain.get(o, n),
    isObject: (v): v is object => plain.isObject(v),
    idOf: (o) => plain.idOf(o),
    classOf: (o) => plain.classOf(o),
    semanticOf: (o) => plain.semanticOf(o),
    displayOf: (o, n) => plain.displayOf(o, n),
    ...extra,
  };
}

/** An env plus the warnings it received. */
export type TestEnv = EvalEnv & { readonly warnings: string[] };

export function makeEnv(options: TestEnvOptions = {}): TestEnv {
  const warnings: string[] = [];
  return {
    graph: options.graph ?? new PlainObjectGraph(options),
    now: () => new Date(NOW.getTime()),
    locale: options.locale ?? 'en',
    sequences: options.sequences,
    warn: (message) => warnings.push(message),
    warnings,
  };
}

/** A lazy condition from a function of the element. */
export function lazy(fn: (element: unknown) => unknown, name = 'cond'): LazyFormula {
  return new LazyFormula(fn, name);
}

/** `&eq($attr, value)` as the compiler would build it: the element's attribute `==` value. */
export function attrEquals(env: EvalEnv, attr: string, value: unknown): LazyFormula {
  // eslint-disable-next-line eqeqeq
  return lazy((element) => readDotted(env.graph, element, attr) == value, 'eq');
}

/** Calls library function `name` with already-evaluated arguments. */
export function call(name: string, args: readonly unknown[], env: EvalEnv = makeEnv()): unknown {
  const spec = getFunction(name);
  if (!spec) throw new Error(`no library function ${name}`);
  return spec.impl(env, args.slice(0, spec.evalLimit));
}

/** A call bound to one env: `fn('add', 1, 2)`. */
export function caller(env: EvalEnv = makeEnv()): (name: string, ...args: unknown[]) => unknown {
  return (name, ...args) => call(name, args, env);
}
