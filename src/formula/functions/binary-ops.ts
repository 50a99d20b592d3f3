/**
 * The two-argument comparisons as plain functions of (graph, a, b). The library's `eq ne lt gt
 * lte gte` are built from them, and the compiler calls them directly when a call has exactly two
 * arguments, so a condition run per collection element allocates nothing.
 */
import type { ObjectGraph } from '../graph.ts';
import { primitiveOf, timeOrSelf } from './coerce.ts';

export type BinaryOp = (graph: ObjectGraph, a: unknown, b: unknown) => boolean;

/** ION's `eq`: loose `==`; Dates by time; object vs object by `class@id`, object vs value by id. */
function looseEqualsSlow(graph: ObjectGraph, rawA: unknown, rawB: unknown): boolean {
  const a = timeOrSelf(rawA);
  const b = timeOrSelf(rawB);
  if (graph.isObject(a) && graph.isObject(b)) {
    return `${graph.classOf(a)}@${graph.idOf(a)}` === `${graph.classOf(b)}@${graph.idOf(b)}`;
  }
  const left = graph.isObject(a) ? graph.idOf(a) : a;
  const right = graph.isObject(b) ? graph.idOf(b) : b;
  // ION's eq is deliberately loose: eq(1, '1'), eq(0, false) and eq(null, undefined) are true.
  // eslint-disable-next-line eqeqeq
  return left == right;
}

const relational =
  (test: (a: number, b: number) => boolean): BinaryOp =>
  (graph, a, b) =>
    test(primitiveOf(graph, timeOrSelf(a)) as number, primitiveOf(graph, timeOrSelf(b)) as number);

export const binaryOps = {
  eq: (graph: ObjectGraph, a: unknown, b: unknown): boolean =>
    // Two primitives (the common case in conditions) need no conversion.
    // eslint-disable-next-line eqeqeq
    typeof a !== 'object' && typeof b !== 'object' ? a == b : looseEqualsSlow(graph, a, b),
  /** ION's `ne` is strict (`!==`), so it is not the negation of `eq`. */
  ne: (_graph: ObjectGraph, a: unknown, b: unknown): boolean => timeOrSelf(a) !== timeOrSelf(b),
  lt: relational((a, b) => a < b),
  gt: relational((a, b) => a > b),
  lte: relational((a, b) => a <= b),
  gte: relational((a, b) => a >= b),
} satisfies Record<string, BinaryOp>;

export type BinaryOpName = keyof typeof binaryOps;

export function isBinaryOpName(name: string): name is BinaryOpName {
  return Object.prototype.hasOwnProperty.call(binaryOps, name);
}
