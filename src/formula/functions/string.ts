/**
 * Text: `concat substr pad upper lower size number2words` (ion-spec §1.7). Values become text as
 * ION's `String(v)` makes them (objects as their semantic, see `textOf`).
 */
import { FormulaRuntimeError } from '../runtime.ts';
import { looseIsNaN, primitiveOf, textOf } from './coerce.ts';
import { numberToWords } from './number-words.ts';
import type { FunctionImpl } from './spec.ts';

/** Longest text `pad` builds; ION would exhaust memory instead of failing cleanly. */
const MAX_PAD_LENGTH = 1_000_000;

/** `concat(...)`: null, undefined and false are empty; everything else as `String(v)`. */
const concat: FunctionImpl = (env, args) => {
  let result = '';
  for (const v of args) if (v !== null && v !== undefined && v !== false) result += textOf(env.graph, v);
  return result;
};

/** `substr(s, start=0, length=rest)`: legacy `String.prototype.substr` on `String(s || '')`. */
const substr: FunctionImpl = (env, args) => {
  const text = textOf(env.graph, args[0] || '');
  const start = args.length > 1 && !looseIsNaN(args[1]) ? primitiveOf(env.graph, args[1]) : 0;
  const length = args.length > 2 && !looseIsNaN(args[2]) ? primitiveOf(env.graph, args[2]) : text.length;
  // The legacy method is the specification here (negative start counts from the end).
  return text.substr(start as number, length as number);
};

/**
 * `pad(s, len, ch='0', dir='l')`: adds `ch` (len - length) times to `String(s || '')`, on the
 * left, or on the right with `dir = 'r'`. ION ignores the direction (always left): fixed here.
 */
const pad: FunctionImpl = (env, args) => {
  const text = textOf(env.graph, args[0] || '');
  const target = args.length > 1 && !looseIsNaN(args[1]) ? Number.parseInt(textOf(env.graph, args[1]), 10) : 0;
  const fill = args.length > 2 ? textOf(env.graph, args[2]) : '0';
  const times = target > text.length ? target - text.length : 0;
  if (times * fill.length > MAX_PAD_LENGTH) {
    throw new FormulaRuntimeError(`pad: result longer than ${MAX_PAD_LENGTH} characters`, 'pad');
  }
  const padding = fill.repeat(times);
  return args[3] === 'r' ? text + padding : padding + text;
};

/** `size(x)`: falsy → 0; array or text → its length; else the length of `String(x)`. */
const size: FunctionImpl = (env, args) => {
  const value = args[0];
  if (!value) return 0;
  if (Array.isArray(value) || typeof value === 'string') return value.length;
  return textOf(env.graph, value).length;
};

/** Text functions by name. */
export const stringFunctions: Readonly<Record<string, FunctionImpl>> = {
  concat,
  substr,
  pad,
  /** `upper(s)`: `String(s)` upper-cased, so `upper(null)` is "NULL". */
  upper: (env, args) => textOf(env.graph, args[0]).toUpperCase(),
  lower: (env, args) => textOf(env.graph, args[0]).toLowerCase(),
  size,
  /** `number2words(n, locale='ru')`: broken in ION (ReferenceError); see `number-words.ts`. */
  number2words: (env, args) => numberToWords(args[0], args[1], env.warn),
};
