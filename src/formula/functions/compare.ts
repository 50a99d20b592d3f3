/**
 * Comparisons and tests: `eq ne lt gt lte gte empty nempty in like contains` (ion-spec §1.7).
 *
 * The two-argument comparisons give `false` unless they get exactly two arguments, and compare
 * Dates by their time. `eq` is JavaScript's loose `==` (objects by id); `ne` is strict `!==` —
 * so `ne` is not the negation of `eq` (`ne(1, '1')` and `eq(1, '1')` are both true).
 */
import { FormulaRuntimeError } from '../runtime.ts';
import { binaryOps } from './binary-ops.ts';
import { isCondition, textOf } from './coerce.ts';
import type { FunctionImpl } from './spec.ts';

/** ION's `cmpOper`: exactly two arguments, else false. */
function binary(name: keyof typeof binaryOps): FunctionImpl {
  const op = binaryOps[name];
  return (env, args) => (args.length === 2 ? op(env.graph, args[0], args[1]) : false);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

/** ION's `like`: `new RegExp(re).test(s)`, case-sensitive and unanchored. */
const like: FunctionImpl = (env, args) => {
  const pattern = args[1] === undefined ? undefined : textOf(env.graph, args[1]);
  let re: RegExp;
  try {
    re = new RegExp(pattern as string);
  } catch (error) {
    throw new FormulaRuntimeError(`like: invalid regular expression: ${(error as Error).message}`, 'like');
  }
  return re.test(textOf(env.graph, args[0]));
};

/**
 * ION's `contains`: the condition (always lazy) runs on every element; `true` if a result is
 * `=== true`, else the last result; an empty or non-array collection, or no condition → false.
 */
const contains: FunctionImpl = (_env, args) => {
  const [items, condition] = args;
  if (!Array.isArray(items) || !isCondition(condition) || items.length === 0) return false;
  const results = items.map((item) => condition.apply(item));
  for (const result of results) if (result === true) return true;
  return results[results.length - 1];
};

/** Comparison functions by name. */
export const compareFunctions: Readonly<Record<string, FunctionImpl>> = {
  eq: binary('eq'),
  ne: binary('ne'),
  lt: binary('lt'),
  gt: binary('gt'),
  lte: binary('lte'),
  gte: binary('gte'),
  /** `empty(a)`: null, undefined or `[]` ('' and 0 are not empty). */
  empty: (_env, args) => isEmpty(args[0]),
  nempty: (_env, args) => !isEmpty(args[0]),
  /** `in(v, arr)`: `arr.indexOf(v) >= 0` (strict); a non-array → false. */
  in: (_env, args) => args.length > 1 && Array.isArray(args[1]) && args[1].indexOf(args[0]) >= 0,
  like,
  contains,
};
