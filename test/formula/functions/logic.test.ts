import { describe, expect, it } from 'vitest';
import { getFunction } from '../../../src/formula/functions/index.ts';
import { caller, lazy, makeEnv } from './helpers.ts';

const fn = caller();

describe('and / or (ion-spec §1.7 [verified])', () => {
  it('and: false at the first value === false, else the last value uncoerced', () => {
    expect(fn('and')).toBe(false);
    expect(fn('and', 1, 0)).toBe(0);
    expect(fn('and', null, 'x')).toBe('x');
    expect(fn('and', 1, false, 'x')).toBe(false);
    expect(fn('and', true, true)).toBe(true);
    expect(fn('and', 0, '')).toBe('');
  });

  it('or: true at the first value === true, else the last value', () => {
    expect(fn('or')).toBe(false);
    expect(fn('or', false, 0)).toBe(0);
    expect(fn('or', 1, true, 0)).toBe(true);
    expect(fn('or', null, null)).toBe(null);
    expect(fn('or', 'a', 1)).toBe(1);
  });

  it('a lazy argument is a value like any other (or(eq(..), &eq(..)) yields the formula)', () => {
    const condition = lazy(() => true);
    expect(fn('or', false, condition)).toBe(condition);
  });
});

describe('not', () => {
  it('negates exactly one argument', () => {
    expect(fn('not', 0)).toBe(true);
    expect(fn('not', '')).toBe(true);
    expect(fn('not', 'x')).toBe(false);
    expect(fn('not', null)).toBe(true);
  });

  it('is false without exactly one argument', () => {
    expect(fn('not')).toBe(false);
    // More arguments than the eval limit only reach a generic caller of the implementation.
    expect(getFunction('not')?.impl(makeEnv(), [0, 0])).toBe(false);
  });
});

describe('if', () => {
  it('chooses by JS truthiness', () => {
    expect(fn('if', 1, 'y', 'n')).toBe('y');
    expect(fn('if', 0, 'y', 'n')).toBe('n');
    expect(fn('if', '', 'y', 'n')).toBe('n');
    expect(fn('if', [], 'y', 'n')).toBe('y');
    expect(fn('if', null, 'priced', 'no price')).toBe('no price');
  });

  it('a missing else branch is undefined', () => {
    expect(fn('if', false, 'y')).toBeUndefined();
  });
});
