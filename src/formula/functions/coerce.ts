/**
 * The value conversions ION's functions get from JavaScript for free and we must spell out:
 * an ION object (`Item`) turns into its semantic when made a string, so `String(item)`,
 * `'' + item` and `[item].join()` all show the semantic. Our graph objects are opaque, so the
 * conversions go through `ObjectGraph.semanticOf`. Shared by every family.
 */
import type { ObjectGraph } from '../graph.ts';
import { LazyFormula } from '../runtime.ts';

/**
 * `String(v)` as ION sees it: a graph object is its semantic, an array joins its elements with
 * commas (null and undefined elements empty, objects as their semantics), a Date is
 * `Date.prototype.toString`, anything else `String(v)`.
 */
export function textOf(graph: ObjectGraph, value: unknown): string {
  if (graph.isObject(value)) return graph.semanticOf(value);
  if (Array.isArray(value)) {
    return value.map((v) => (v === null || v === undefined ? '' : textOf(graph, v))).join(',');
  }
  return String(value);
}

/**
 * The primitive JavaScript operators would see: graph objects and arrays become text (as ION's
 * `Item.toString` makes them), everything else — Dates included — is left to the operator.
 */
export function primitiveOf(graph: ObjectGraph, value: unknown): unknown {
  return graph.isObject(value) || Array.isArray(value) ? textOf(graph, value) : value;
}

/** Whether a value is an un-evaluated (`&`) formula, the only thing ION accepts as a condition. */
export function isCondition(value: unknown): value is LazyFormula {
  return value instanceof LazyFormula;
}

/** Dates compare by their time, as ION's comparison functions convert them first. */
export function timeOrSelf(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

/** JavaScript's global `isNaN` (coercing), which ION uses to test numeric arguments. */
export function looseIsNaN(value: unknown): boolean {
  return Number.isNaN(Number(value));
}

/**
 * ION's `processed()` de-duplication: an object counts by its id, any other value by strict
 * equality (`indexOf`, so NaN is never a duplicate). Returns `true` for a value already seen.
 */
export function seenTracker(graph: ObjectGraph): (value: unknown) => boolean {
  const seen = new Set<unknown>();
  return (value) => {
    const key = graph.isObject(value) ? graph.idOf(value) : value;
    if (Number.isNaN(key)) return false;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  };
}
