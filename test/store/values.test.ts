import { Long, ObjectId } from 'bson';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareValues, kindOf, valuesEqual } from '../../src/store/values.ts';

describe('valuesEqual (MongoDB equality)', () => {
  it('is type-strict across brackets', () => {
    expect(valuesEqual(5, '5')).toBe(false);
    expect(valuesEqual(1, true)).toBe(false);
    expect(valuesEqual(0, null)).toBe(false);
    expect(valuesEqual('', null)).toBe(false);
  });

  it('treats missing as null, dates by instant, NaN as NaN, numbers of any BSON width alike', () => {
    expect(valuesEqual(undefined, null)).toBe(true);
    expect(valuesEqual(new Date('2020-01-01T00:00:00Z'), new Date(Date.UTC(2020, 0, 1)))).toBe(true);
    expect(valuesEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(valuesEqual(Long.fromNumber(42), 42)).toBe(true);
    expect(valuesEqual(new ObjectId('5f1d7f8e9a1b2c3d4e5f6a7b'), new ObjectId('5f1d7f8e9a1b2c3d4e5f6a7b'))).toBe(true);
  });

  it('compares arrays element-wise and objects field by field in order', () => {
    expect(valuesEqual(['a', 1], ['a', 1])).toBe(true);
    expect(valuesEqual(['a', 1], [1, 'a'])).toBe(false);
    expect(valuesEqual({ a: 1, b: 2 }, { a: 1, b: 2 })).toBe(true);
    expect(valuesEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
  });
});

describe('compareValues (MongoDB sort order)', () => {
  it('orders brackets as BSON does', () => {
    const sorted = [new Date(0), true, [1], { a: 1 }, 'a', 3, null].sort(compareValues);
    expect(sorted.map(kindOf)).toEqual(['null', 'number', 'string', 'object', 'array', 'boolean', 'date']);
  });

  it('is a consistent total order on scalars', () => {
    const scalar = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.string(), fc.boolean(), fc.constant(null), fc.date({ noInvalidDate: true }));
    fc.assert(fc.property(scalar, scalar, scalar, (a, b, c) => {
      expect(Math.sign(compareValues(a, b))).toBe(-Math.sign(compareValues(b, a)) || 0);
      if (compareValues(a, b) <= 0 && compareValues(b, c) <= 0) expect(compareValues(a, c)).toBeLessThanOrEqual(0);
      expect(compareValues(a, b) === 0).toBe(valuesEqual(a, b) || (typeof a === 'number' && a === b));
    }));
  });
});
