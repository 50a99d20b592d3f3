/**
 * What compiled formulas and library functions share at run time: the evaluation environment,
 * lazy (`&`) formula values, run-time errors, and ION's path walk.
 */
import type { GraphObject, ObjectGraph } from './graph.ts';

/** Everything a formula may touch while it runs. Built once per `evaluate` call. */
export interface EvalEnv {
  readonly graph: ObjectGraph;
  /** The clock behind `now()` and date defaults (injectable for tests and replays). */
  readonly now: () => Date;
  /** moment.js locale used when a date function is given none (ION runs with moment's `en`). */
  readonly locale: string;
  /** Sequence provider behind `next(name)`; absent → `next` throws. */
  readonly sequences?: { next(name: string): number } | undefined;
  /** Receives non-fatal notes (e.g. a condition that is not a function). */
  readonly warn: (message: string) => void;
}

/**
 * The value of an `&name(...)` argument: an un-evaluated formula. Aggregations call `apply` once
 * per collection element, with the element as the context of the formula's paths.
 */
export class LazyFormula {
  constructor(
    private readonly fn: (context: unknown) => unknown,
    /** The function name, for messages. */
    readonly name: string,
  ) {}

  apply(context: unknown): unknown {
    return this.fn(context);
  }

  toString(): string {
    return `[formula ${this.name}]`;
  }
}

/**
 * An error a formula raises while running (ION throws in the same situations, e.g. `count(x,
 * null, 1)` or `next()` without a name). Not retried: the same input fails the same way.
 */
export class FormulaRuntimeError extends Error {
  override readonly name = 'FormulaRuntimeError';
  constructor(
    message: string,
    /** The library function that raised it, when known. */
    readonly functionName?: string,
  ) {
    super(message);
  }
}

/**
 * ION's path walk (`objProp`): resolve the head on the context; an object continues the walk, an
 * array continues on each element that is an object, concatenating (array results spread one
 * level, scalars — null included — pushed); anything else gives null. With `display`, the last
 * segment yields the attribute's display value.
 */
export function walkPath(
  graph: ObjectGraph,
  context: unknown,
  segments: readonly string[],
  display: boolean,
  from = 0,
): unknown {
  if (!graph.isObject(context)) return null;
  const name = segments[from] as string;
  const last = from === segments.length - 1;
  if (last) {
    if (display) return graph.displayOf(context, name);
    const value = graph.get(context, name);
    return value === undefined ? null : value;
  }
  const head = graph.get(context, name);
  if (graph.isObject(head)) return walkPath(graph, head, segments, display, from + 1);
  if (Array.isArray(head)) return walkEach(graph, head, segments, display, from + 1);
  return null;
}

function walkEach(
  graph: ObjectGraph,
  items: readonly unknown[],
  segments: readonly string[],
  display: boolean,
  from: number,
): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    if (!graph.isObject(item)) continue;
    const value = walkPath(graph, item as GraphObject, segments, display, from);
    if (Array.isArray(value)) for (const v of value) out.push(v);
    else out.push(value);
  }
  return out;
}

/** Resolves a dotted attribute name (`'a.b.c'`, as aggregations take it) on one object. */
export function readDotted(graph: ObjectGraph, context: unknown, dotted: string): unknown {
  return walkPath(graph, context, dotted.split('.'), false);
}
