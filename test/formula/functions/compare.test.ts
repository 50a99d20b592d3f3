import { describe, expect, it } from 'vitest';
import { FormulaRuntimeError } from '../../../src/formula/runtime.ts';
import { attrEquals, caller, lazy, makeEnv } from './helpers.ts';

const fn = caller();

describe('eq: loose equality (ion-spec §1.7)', () => {
  it('is JavaScript ==', () => {
    expect(fn('eq', 1, '1')).toBe(true);
    expect(fn('eq', 0, false)).toBe(true); // conformance SA-eq-x2
    expect(fn('eq', null, 0)).toBe(false);
    expect(fn('eq', null, undefined)).toBe(true);
    expect(fn('eq', '', 0)).toBe(true);
    expect(fn('eq', 'b', 'b')).toBe(true);
    expect(fn('eq', 'b', 'c')).toBe(false);
  });

  it('is false with fewer than two arguments', () => {
    expect(fn('eq', 1)).toBe(false);
    expect(fn('eq')).toBe(false);
  });

  it('compares dates by time', () => {
    expect(fn('eq', new Date(5), new Date(5))).toBe(true);
    expect(fn('eq', new Date(5), 5)).toBe(true);
    expect(fn('eq', new Date(5), new Date(6))).toBe(false);
  });

  it('compares two objects by class@id and an object with a value by its id', () => {
    const a = { _class: 'ops@t', id: 'o1' };
    const sameId = { _class: 'ops@t', id: 'o1', name: 'copy' };
    const otherClass = { _class: 'svyaz@t', id: 'o1' };
    expect(fn('eq', a, sameId)).toBe(true);
    expect(fn('eq', a, otherClass)).toBe(false);
    expect(fn('eq', a, 'o1')).toBe(true);
    expect(fn('eq', 'o1', a)).toBe(true);
    expect(fn('eq', { id: 4 }, 4)).toBe(true); // ids are strings, == makes '4' equal 4
  });
});

describe('ne: strict (not the negation of eq) [verified]', () => {
  it('is !==', () => {
    expect(fn('ne', 1, '1')).toBe(true);
    expect(fn('ne', 0, 0)).toBe(false); // conformance SA-ne-x2
    expect(fn('ne', null, undefined)).toBe(true);
    expect(fn('ne', 'c', 'c')).toBe(false);
  });

  it('compares dates by time but objects by reference', () => {
    expect(fn('ne', new Date(5), new Date(5))).toBe(false);
    expect(fn('ne', { id: 'x' }, 'x')).toBe(true);
  });

  it('is false without two arguments', () => {
    expect(fn('ne', 1)).toBe(false);
  });
});

describe('lt gt lte gte', () => {
  it('use the JS relational operators, null coercing to 0', () => {
    expect(fn('lt', null, 1)).toBe(true); // lt($missing, 1)
    expect(fn('gt', null, -1)).toBe(true);
    expect(fn('lte', null, 0)).toBe(true);
    expect(fn('gte', 2, 2)).toBe(true);
    expect(fn('lt', '10', '9')).toBe(true); // two strings compare as text
    expect(fn('lt', '10', 9)).toBe(false);
    expect(fn('gt', undefined, 0)).toBe(false); // NaN
  });

  it('compare dates by time', () => {
    const early = new Date('2020-01-01T00:00:00Z');
    const late = new Date('2021-01-01T00:00:00Z');
    expect(fn('lt', early, late)).toBe(true);
    expect(fn('gte', early, late)).toBe(false);
    expect(fn('lte', early, new Date(early.getTime()))).toBe(true);
  });

  it('are false without two arguments', () => {
    expect(fn('lt', 1)).toBe(false);
    expect(fn('gte')).toBe(false);
  });
});

describe('develop-and-test calcLinkAttr (ion-spec §1.10 [verified])', () => {
  // The real formulas: eq(a,b) ne(a,c) lt(a,b) gt(a,c) lte(a,b) gte(a,c) and(eq(a,b),ne(a,c))
  // or(eq(a,b),ne(a,c)) not(eq(a,b)).
  const row = (a: number, b: number, c: number): Record<string, unknown> => ({
    eq: fn('eq', a, b),
    ne: fn('ne', a, c),
    lt: fn('lt', a, b),
    gt: fn('gt', a, c),
    lte: fn('lte', a, b),
    gte: fn('gte', a, c),
    and: fn('and', fn('eq', a, b), fn('ne', a, c)),
    or: fn('or', fn('eq', a, b), fn('ne', a, c)),
    not: fn('not', fn('eq', a, b)),
  });

  it('linkObj=4 (a12, b12, c34)', () => {
    expect(row(12, 12, 34)).toEqual({ eq: true, ne: true, lt: false, gt: false, lte: true, gte: false, and: true, or: true, not: false });
  });

  it('linkObj=1 (a12, b45, c32)', () => {
    expect(row(12, 45, 32)).toEqual({ eq: false, ne: true, lt: true, gt: false, lte: true, gte: false, and: false, or: true, not: true });
  });
});

describe('empty / nempty', () => {
  it('only null, undefined and [] are empty', () => {
    expect(fn('empty', null)).toBe(true);
    expect(fn('empty')).toBe(true);
    expect(fn('empty', [])).toBe(true);
    expect(fn('empty', '')).toBe(false); // conformance SA-empty-x2
    expect(fn('empty', 0)).toBe(false);
    expect(fn('empty', [null])).toBe(false);
    expect(fn('nempty', '')).toBe(true);
    expect(fn('nempty', null)).toBe(false);
    expect(fn('nempty', [{ id: 1 }])).toBe(true);
  });
});

describe('in', () => {
  it('tests membership with strict equality', () => {
    expect(fn('in', 'creditNote@wc', ['creditNote@wc'])).toBe(true);
    expect(fn('in', 1, ['1'])).toBe(false);
    expect(fn('in', null, [null])).toBe(true);
    expect(fn('in', Number.NaN, [Number.NaN])).toBe(false);
  });

  it('is false for a non-array', () => {
    expect(fn('in', 'a', 'abc')).toBe(false);
    expect(fn('in', 'a')).toBe(false);
  });
});

describe('like', () => {
  it('is an unanchored, case-sensitive regular expression test', () => {
    expect(fn('like', 'PRJ-2023-0815', '\\d{4}')).toBe(true);
    expect(fn('like', 'abc', '^b')).toBe(false);
    expect(fn('like', 'ABC', 'abc')).toBe(false);
    expect(fn('like', null, 'nul')).toBe(true); // the value is made text: "null"
  });

  it('tests an object by its semantic', () => {
    expect(fn('like', { id: 'k1', __semantic: 'Почта России' }, 'Почта')).toBe(true);
  });

  it('throws FormulaRuntimeError for an invalid expression (ION throws)', () => {
    expect(() => fn('like', 'a', '(')).toThrow(FormulaRuntimeError);
  });
});

describe('contains', () => {
  const env = makeEnv();
  const offices = [
    { id: 'o1', kind: 'b' },
    { id: 'o2', kind: 'c' },
  ];
  const run = caller(env);

  it('is true when the condition is true for some element', () => {
    expect(run('contains', offices, attrEquals(env, 'kind', 'c'))).toBe(true);
  });

  it('else gives the last result, uncoerced', () => {
    expect(run('contains', offices, attrEquals(env, 'kind', 'x'))).toBe(false);
    expect(run('contains', offices, lazy((o) => (o as { kind: string }).kind))).toBe('c');
    expect(run('contains', offices, lazy(() => 1))).toBe(1);
  });

  it('is false for an empty or non-array collection or a non-formula condition', () => {
    expect(run('contains', [], lazy(() => true))).toBe(false);
    expect(run('contains', null, lazy(() => true))).toBe(false);
    expect(run('contains', offices, true)).toBe(false);
    expect(run('contains', offices)).toBe(false);
  });
});
