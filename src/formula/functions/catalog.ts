/**
 * The ION function library as metadata: names (case-sensitive), families, arity and evaluation
 * limits, from ION's `core/impl/Calculator/func` (see ion-spec §1.7). Implementations live in one
 * file per family; `index.ts` joins the two and a test checks that every entry has one.
 */
import type { FunctionMeta } from './spec.ts';

const ALL = Number.POSITIVE_INFINITY;

type Row = Omit<FunctionMeta, 'name'>;

const rows: Record<string, Row> = {
  // logic
  and: { family: 'logic', minArgs: 0, maxArgs: ALL, evalLimit: ALL, special: true, summary: 'false at the first value === false, else the last value' },
  or: { family: 'logic', minArgs: 0, maxArgs: ALL, evalLimit: ALL, special: true, summary: 'true at the first value === true, else the last value' },
  not: { family: 'logic', minArgs: 1, maxArgs: 1, evalLimit: 1, summary: '!a with exactly one argument, else false' },
  if: { family: 'logic', minArgs: 2, maxArgs: 3, evalLimit: 3, special: true, summary: 'evaluates only the chosen branch (JS truthiness)' },
  // compare
  eq: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, summary: 'loose equality (==); dates by time, objects by id' },
  ne: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, summary: 'strict inequality (!==); dates by time' },
  lt: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, summary: 'a < b; dates by time' },
  gt: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, summary: 'a > b; dates by time' },
  lte: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, summary: 'a <= b; dates by time' },
  gte: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, summary: 'a >= b; dates by time' },
  empty: { family: 'compare', minArgs: 1, maxArgs: 1, evalLimit: 2, summary: 'null, undefined or []' },
  nempty: { family: 'compare', minArgs: 1, maxArgs: 1, evalLimit: 2, summary: 'not empty' },
  in: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: ALL, summary: 'array contains the value (strict)' },
  like: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: ALL, summary: 'regular expression test, case-sensitive, unanchored' },
  contains: { family: 'compare', minArgs: 2, maxArgs: 2, evalLimit: 2, autoLazy: [1], consumesLazy: [1], summary: 'true when the condition is true for some element' },
  // math
  add: { family: 'math', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'fold from 0 with JS + (strings concatenate)' },
  mul: { family: 'math', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'fold from 1 with *' },
  sub: { family: 'math', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'a - b - c ...' },
  div: { family: 'math', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'a / b / c ...' },
  round: { family: 'math', minArgs: 1, maxArgs: 2, evalLimit: ALL, summary: 'round to d decimals with ION tie rules' },
  // string
  concat: { family: 'string', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'joins values as text (null/false → empty)' },
  substr: { family: 'string', minArgs: 1, maxArgs: 3, evalLimit: 3, summary: 'legacy JS substr(start, length)' },
  pad: { family: 'string', minArgs: 2, maxArgs: 4, evalLimit: 4, summary: 'pads to a length with a character, left (l) or right (r)' },
  upper: { family: 'string', minArgs: 1, maxArgs: 1, evalLimit: 1, summary: 'upper case of String(v)' },
  lower: { family: 'string', minArgs: 1, maxArgs: 1, evalLimit: 1, summary: 'lower case of String(v)' },
  size: { family: 'string', minArgs: 1, maxArgs: 1, evalLimit: 1, summary: 'length of an array or a text' },
  number2words: { family: 'string', minArgs: 1, maxArgs: 3, evalLimit: ALL, summary: 'a number in words' },
  // date
  now: { family: 'date', minArgs: 0, maxArgs: 0, evalLimit: 0, summary: 'the current date and time' },
  date: { family: 'date', minArgs: 1, maxArgs: 3, evalLimit: 3, summary: 'parses a date with an optional moment.js format and locale' },
  dateAdd: { family: 'date', minArgs: 0, maxArgs: 3, evalLimit: 3, summary: 'adds n units (default days) to a date' },
  dateDiff: { family: 'date', minArgs: 0, maxArgs: 3, evalLimit: 3, summary: 'd1 - d2 in whole units, truncated toward zero' },
  dateFormat: { family: 'date', minArgs: 1, maxArgs: 3, evalLimit: 3, summary: 'formats a date with a moment.js format (default L)' },
  format: { family: 'date', minArgs: 1, maxArgs: 3, evalLimit: 3, summary: 'alias of dateFormat' },
  // data
  element: { family: 'data', minArgs: 1, maxArgs: 2, evalLimit: ALL, summary: 'array element by index or "last"' },
  collect: { family: 'data', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'flattens all arguments into one array, dropping null' },
  obj: { family: 'data', minArgs: 0, maxArgs: ALL, evalLimit: ALL, summary: 'builds an object from key, value pairs' },
  get: { family: 'data', minArgs: 1, maxArgs: ALL, evalLimit: ALL, summary: 'an object of a class by id or by attribute values' },
  next: { family: 'data', minArgs: 1, maxArgs: 1, evalLimit: 1, summary: 'next value of a named sequence' },
  // aggregate
  count: { family: 'aggregate', minArgs: 1, maxArgs: 3, evalLimit: 5, consumesLazy: [1], summary: 'number of elements passing the condition' },
  sum: { family: 'aggregate', minArgs: 2, maxArgs: 4, evalLimit: 5, consumesLazy: [2], summary: 'sum of an attribute over elements' },
  avg: { family: 'aggregate', minArgs: 2, maxArgs: 3, evalLimit: 5, consumesLazy: [2], summary: 'average of an attribute over elements' },
  max: { family: 'aggregate', minArgs: 2, maxArgs: 3, evalLimit: 5, consumesLazy: [2], summary: 'largest value of an attribute (starts at 0)' },
  min: { family: 'aggregate', minArgs: 2, maxArgs: 3, evalLimit: 5, consumesLazy: [2], summary: 'smallest value of an attribute' },
  merge: { family: 'aggregate', minArgs: 2, maxArgs: 5, evalLimit: 5, consumesLazy: [2], summary: 'joins attribute values with a separator' },
};

/** Metadata of every library function, by name. */
export const FUNCTION_CATALOG: ReadonlyMap<string, FunctionMeta> = new Map(
  Object.entries(rows).map(([name, row]) => [name, Object.freeze({ name, ...row })]),
);

/** Whether `name` is a library function (case-sensitive, own names only). */
export function isLibraryFunction(name: string): boolean {
  return FUNCTION_CATALOG.has(name);
}
