/**
 * Arithmetic: `add mul sub div round` (ion-spec §1.7). JavaScript operators on raw values, as in
 * ION: `add` concatenates as soon as a string is involved (`add('1', 2)` → "012"), `div` by zero
 * gives Infinity or NaN.
 */
import { looseIsNaN, primitiveOf, textOf } from './coerce.ts';
import type { FunctionImpl } from './spec.ts';

type Operator = (a: number, b: number) => number;

/** ION's `incOper`: fold from a start value (`add` from 0, `mul` from 1). */
function foldFrom(start: number, op: Operator): FunctionImpl {
  return (env, args) => args.reduce<unknown>((acc, v) => op(acc as number, primitiveOf(env.graph, v) as number), start);
}

/** ION's `decOper`: no arguments → 0, one → itself (unconverted), else a left fold. */
function foldFirst(op: Operator): FunctionImpl {
  return (env, args) => {
    if (args.length === 0) return 0;
    let result = args[0];
    for (let i = 1; i < args.length; i++) {
      result = op(primitiveOf(env.graph, result) as number, primitiveOf(env.graph, args[i]) as number);
    }
    return result;
  };
}

/**
 * Moves the decimal point of `value` by `exp` places through its decimal text (`1.005e2`), so
 * that ties round as written rather than as stored (1.005 → 1.01). Negative values are mirrored,
 * so ties go away from zero. This is the algorithm of the `expected-round` package ION uses.
 */
function shiftRound(value: number, exp: number): number {
  if (value < 0) return -shiftRound(-value, exp);
  const [mantissa, power] = value.toString().split('e');
  const shifted = Math.round(Number(`${mantissa}e${power ? Number(power) - exp : -exp}`));
  const [m2, p2] = shifted.toString().split('e');
  return Number(`${m2}e${p2 ? Number(p2) + exp : exp}`);
}

/**
 * `round(v, d=0)`: `parseFloat(v)`, non-finite values returned as they are; `d` is used when it
 * is numeric. d = 0 → `Math.round` (ties toward +∞: -2.5 → -2); otherwise the decimal shift
 * (half away from zero); a non-integer `d` → NaN.
 */
const round: FunctionImpl = (env, args) => {
  if (args.length === 0) return 0;
  const value = Number.parseFloat(textOf(env.graph, args[0]));
  if (!Number.isFinite(value)) return value;
  const digits = args.length > 1 && !looseIsNaN(args[1]) ? args[1] : 0;
  const exp = -Number(digits);
  if (exp === 0) return Math.round(value);
  if (!Number.isInteger(exp)) return Number.NaN;
  return shiftRound(value, exp);
};

/** Arithmetic functions by name. */
export const mathFunctions: Readonly<Record<string, FunctionImpl>> = {
  // JS `+` on unknown operands is the point: strings concatenate, as in ION.
  add: foldFrom(0, (a, b) => a + b),
  mul: foldFrom(1, (a, b) => a * b),
  sub: foldFirst((a, b) => a - b),
  div: foldFirst((a, b) => a / b),
  round,
};
