import { describe, expect, it } from 'vitest';
import { conditionMatches, documentMatches, parseFilter } from '../../src/store/filter.ts';

describe('parseFilter', () => {
  it('reads plain values as equality and known operator pairs as operators', () => {
    expect(parseFilter({ a: 1, b: ['gt', 2], c: ['x', 2], d: ['in', [1]] })).toEqual([
      { field: 'a', op: 'eq', value: 1 },
      { field: 'b', op: 'gt', value: 2 },
      { field: 'c', op: 'eq', value: ['x', 2] },
      { field: 'd', op: 'in', value: [1] },
    ]);
  });

  it('refuses bad names and in/nin without arrays', () => {
    expect(() => parseFilter({ 'a.b': 1 })).toThrow(/invalid field/);
    expect(() => parseFilter({ a: ['nin', 'x'] })).toThrow(/needs an array/);
  });
});

describe('conditionMatches', () => {
  const eq = (value: unknown) => ({ field: 'f', op: 'eq' as const, value });
  it('matches arrays through their elements and as a whole', () => {
    expect(conditionMatches(['a', 'b'], eq('b'))).toBe(true);
    expect(conditionMatches(['a', 'b'], eq(['a', 'b']))).toBe(true);
    expect(conditionMatches(['a', 'b'], eq('c'))).toBe(false);
  });

  it('compares ranges only within a bracket', () => {
    const gt = (value: unknown) => ({ field: 'f', op: 'gt' as const, value });
    expect(conditionMatches(5, gt(4))).toBe(true);
    expect(conditionMatches('5', gt(4))).toBe(false);
    expect(conditionMatches(null, gt(-1))).toBe(false);
    expect(conditionMatches([1, 9], gt(5))).toBe(true);
    expect(conditionMatches(new Date('2024-01-02'), gt(new Date('2024-01-01')))).toBe(true);
    expect(conditionMatches(new Date('2024-01-02'), gt(0))).toBe(false);
  });

  it('ANDs the conditions of a document', () => {
    const conditions = parseFilter({ kind: 'b', staff: ['lte', 3] });
    expect(documentMatches({ kind: 'b', staff: 3 }, conditions)).toBe(true);
    expect(documentMatches({ kind: 'b', staff: 4 }, conditions)).toBe(false);
    expect(documentMatches({ staff: 1 }, conditions)).toBe(false);
  });
});
