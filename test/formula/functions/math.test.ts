import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caller } from './helpers.ts';

const fn = caller();

describe('add (fold from 0 with JS +)', () => {
  it('adds numbers, with add() = 0', () => {
    expect(fn('add')).toBe(0);
    expect(fn('add', 1, 2, 3)).toBe(6);
    expect(fn('add', null, 5)).toBe(5);
  });

  it('concatenates as soon as a string appears [verified]', () => {
    expect(fn('add', '1', 2)).toBe('012');
    expect(fn('add', '-3', 1)).toBe('0-31'); // conformance SA-add-x2
    expect(fn('add', 1, 2, 'x', 3)).toBe('3x3');
  });

  it('turns dates into their text', () => {
    const d = new Date('2020-01-01T00:00:00Z');
    expect(fn('add', d)).toBe(`0${d.toString()}`);
  });

  it('sees an object as its semantic, like ION Item.toString', () => {
    expect(fn('add', 1, { id: 'k1', __semantic: 'Kant' })).toBe('1Kant');
  });

  it('develop-and-test calcAttr y = add(mul(a,x,x), mul(b,x), c) (§1.10)', () => {
    const y = (a: number, b: number, c: number, x: number): unknown => fn('add', fn('mul', a, x, x), fn('mul', b, x), c);
    expect(y(12, 45, 32, 18)).toBe(4730);
    expect(y(5, 8, 4, 9)).toBe(481);
    expect(y(134, 679, 328, 583)).toBe(45941311);
    expect(y(12, 12, 34, 76)).toBe(70258);
    // conformance SA-calcAttr-x1: price 3.25, qty 7, ratio 1.5, score 3
    expect(y(3.25, 1.5, 3, 7)).toBe(172.75);
  });
});

describe('mul / sub / div', () => {
  it('mul folds from 1', () => {
    expect(fn('mul')).toBe(1);
    expect(fn('mul', 12, 12, 34)).toBe(4896);
    expect(fn('mul', 12, 45, 32)).toBe(17280);
    expect(fn('mul', '3', 2)).toBe(6);
    expect(fn('mul', null, 2)).toBe(0);
  });

  it('sub: a - b - c, sub() = 0, one argument unchanged', () => {
    expect(fn('sub')).toBe(0);
    expect(fn('sub', 5)).toBe(5);
    expect(fn('sub', '5')).toBe('5');
    expect(fn('sub', 12, 12, 34)).toBe(-34);
    expect(fn('sub', 12, 45, 32)).toBe(-65);
    expect(fn('sub', 3.25, 1.5, 3)).toBe(-1.25); // conformance SA-sub-x1
  });

  it('div: a / b / c, div() = 0, division by zero as JS', () => {
    expect(fn('div')).toBe(0);
    expect(fn('div', 12, 12, 34)).toBe(0.029411764705882353);
    expect(fn('div', 12, 45, 32)).toBe(0.008333333333333333);
    expect(fn('div', 100, 0)).toBe(Number.POSITIVE_INFINITY); // conformance SA-div-x2
    expect(fn('div', 0, 0)).toBeNaN();
    expect(fn('div', 355, 2)).toBe(177.5);
  });
});

describe('round (ION tie rules [verified])', () => {
  it('d = 0 is Math.round: ties toward +∞', () => {
    expect(fn('round', 2.5)).toBe(3);
    expect(fn('round', -2.5)).toBe(-2);
    expect(fn('round', 1.5, 0)).toBe(2); // conformance SA-round-x1b
    expect(fn('round', -1.5)).toBe(-1);
  });

  it('d ≠ 0 shifts the decimal text: ties away from zero, as written', () => {
    expect(fn('round', 1.005, 2)).toBe(1.01);
    expect(fn('round', -1.005, 2)).toBe(-1.01);
    expect(fn('round', 99.995, 1)).toBe(100); // conformance SA-round-x1
    expect(fn('round', 1.45, 1)).toBe(1.5); // Math.round(1.45 * 10) / 10 would give 1.4
    expect(fn('round', 1234.5678, -2)).toBe(1200);
    expect(fn('round', 1234.5678, 2)).toBe(1234.57);
    expect(fn('round', 1e-7, 7)).toBe(1e-7);
    expect(fn('round', 5e-8, 7)).toBe(1e-7);
  });

  it('parses the value and accepts a numeric text as d', () => {
    expect(fn('round', '2.345', 2)).toBe(2.35);
    expect(fn('round', '12abc')).toBe(12);
    expect(fn('round', 1.005, '2')).toBe(1.01);
    expect(fn('round', 1.6, null)).toBe(2); // null is numeric (0)
    expect(fn('round', 1.6, 'x')).toBe(2); // non-numeric d → 0
  });

  it('odd inputs', () => {
    expect(fn('round', null)).toBeNaN();
    expect(fn('round', 'abc')).toBeNaN();
    expect(fn('round', 1.5, 0.5)).toBeNaN(); // non-integer d
    expect(fn('round', Number.POSITIVE_INFINITY, 2)).toBe(Number.POSITIVE_INFINITY);
    expect(fn('round')).toBe(0);
  });
});

/**
 * Oracle: round the number's shortest decimal text (`String(v)`) to `d` places, half away from
 * zero, with exact integer arithmetic.
 */
function roundDecimalText(v: number, d: number): number {
  const text = String(Math.abs(v));
  const [whole, fraction = ''] = text.split('.');
  const digits = BigInt(`${whole}${fraction.padEnd(d + 1, '0').slice(0, d + 1)}`);
  const rounded = (digits + 5n) / 10n; // the extra digit decides: half away from zero
  const sign = v < 0 ? '-' : '';
  return Number(`${sign}${rounded}e-${d}`);
}

describe('round: property', () => {
  it('d > 0 rounds the decimal text half away from zero', () => {
    const value = fc
      .tuple(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([n, k]) => n / 10 ** k);
    fc.assert(
      fc.property(value, fc.integer({ min: 1, max: 5 }), (v, d) => {
        // A negative value rounding to zero stays -0, as ION's mirroring gives.
        expect(fn('round', v, d)).toBe(roundDecimalText(v, d));
      }),
    );
  });
});
