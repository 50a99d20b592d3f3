/**
 * Logic: `and`, `or`, `not`, `if` (ion-spec §1.7).
 *
 * `and`, `or` and `if` are `special`: the compiler emits them inline so that they short-circuit
 * like ION's. The implementations here take already-evaluated arguments and give the same value,
 * for generic callers.
 */
import type { FunctionImpl } from './spec.ts';

/** ION's `sequenceCheck`: the first value `=== stop`, else the last value; nothing → false. */
function firstOrLast(values: readonly unknown[], stop: boolean): unknown {
  if (values.length === 0) return false;
  for (const value of values) if (value === stop) return value;
  return values[values.length - 1];
}

/** Logic functions by name. */
export const logicFunctions: Readonly<Record<string, FunctionImpl>> = {
  /** `and(a, ...)`: `false` at the first value `=== false`, else the last value (uncoerced). */
  and: (_env, args) => firstOrLast(args, false),
  /** `or(a, ...)`: `true` at the first value `=== true`, else the last value (uncoerced). */
  or: (_env, args) => firstOrLast(args, true),
  /** `not(a)`: `!a` with exactly one argument, else `false`. */
  not: (_env, args) => (args.length === 1 ? !args[0] : false),
  /** `if(c, t, e)`: JS truthiness; a missing branch is `undefined`. */
  if: (_env, args) => (args[0] ? args[1] : args[2]),
};
