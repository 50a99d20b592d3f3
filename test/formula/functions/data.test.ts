import { describe, expect, it } from 'vitest';
import { FormulaRuntimeError } from '../../../src/formula/runtime.ts';
import { caller, makeEnv, minimalGraph } from './helpers.ts';

const fn = caller();

describe('element(arr, i=0)', () => {
  it('reads by index, default 0', () => {
    expect(fn('element', [1, 2, 3])).toBe(1);
    expect(fn('element', [1, 2, 3], 2)).toBe(3);
    expect(fn('element', [1, 2, 3], '1')).toBe(2);
  });

  it("reads the last element with 'last'", () => {
    expect(fn('element', [1, 2, 3], 'last')).toBe(3);
    expect(fn('element', [], 'last')).toBeNull();
  });

  it('gives null out of range, for non-arrays and for non-index keys', () => {
    expect(fn('element', [1], 5)).toBeNull();
    expect(fn('element', [1, 2], -1)).toBeNull();
    expect(fn('element', 'abc', 0)).toBeNull();
    expect(fn('element', null)).toBeNull();
    expect(fn('element', [1, 2], 'length')).toBeNull();
    expect(fn('element', [1, 2], 'map')).toBeNull();
    expect(fn('element', [undefined, 2], 0)).toBeNull();
  });
});

describe('collect', () => {
  it('flattens every argument recursively, dropping null', () => {
    expect(fn('collect', 1, [2, [3, null]], null, 'a')).toEqual([1, 2, 3, 'a']);
    expect(fn('collect')).toEqual([]);
    expect(fn('collect', [[[]]])).toEqual([]);
  });

  it('keeps objects and falsy non-null values', () => {
    const o = { id: 'x' };
    expect(fn('collect', [o], 0, '', false)).toEqual([o, 0, '', false]);
  });
});

describe('obj', () => {
  it('builds a plain object from key, value pairs', () => {
    expect(fn('obj', 'dateStart', ['gt', 5], 'project_code', 'P-1')).toEqual({ dateStart: ['gt', 5], project_code: 'P-1' });
    expect(fn('obj')).toEqual({});
  });

  it('gives a dangling key null', () => {
    expect(fn('obj', 'a', 1, 'b')).toEqual({ a: 1, b: null });
  });

  it('drops the value of a falsy key, keeping the key with null', () => {
    expect(fn('obj', '', 5, 'a', 1)).toEqual({ '': null, a: 1 });
    expect(fn('obj', 0, 5)).toEqual({ 0: null });
  });

  it('makes __proto__ an own key, never the prototype', () => {
    const result = fn('obj', '__proto__', { polluted: true }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.keys(result)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('get', () => {
  const invoices = [
    { id: 'i1', _class: 'invoice@wc', number: 'F-10', num: 5 },
    { id: 'i2', _class: 'invoice@wc', number: 'F-11', num: 6, kind: 'b' },
    { id: 'i3', _class: 'invoice@wc', number: 'F-12', num: 6, kind: 'c' },
  ];
  const env = makeEnv({ classes: { 'invoice@wc': invoices } });
  const run = caller(env);

  it('get(object) gives the object', () => {
    expect(run('get', invoices[0])).toBe(invoices[0]);
  });

  it('get(class, id) finds by id; not found → null', () => {
    expect(run('get', 'invoice@wc', 'i2')).toBe(invoices[1]);
    expect(run('get', 'invoice@wc', 'nope')).toBeNull();
    expect(run('get', 'invoice@wc', null)).toBeNull();
    expect(run('get', 'invoice@wc', { id: 'i3', __semantic: 'F-12' })).toBe(invoices[2]); // an object by its id
  });

  it('get(class, a1, v1, ...) finds the first object with all attributes equal (loosely)', () => {
    expect(run('get', 'invoice@wc', 'num', 6)).toBe(invoices[1]);
    expect(run('get', 'invoice@wc', 'num', '6', 'kind', 'c')).toBe(invoices[2]);
    expect(run('get', 'invoice@wc', 'num', 7)).toBeNull();
  });

  it('ignores a trailing array (ION: paths to eager-load)', () => {
    expect(run('get', 'invoice@wc', 'i1', ['lines.product'])).toBe(invoices[0]);
  });

  it('throws without arguments or with one argument that is not an object', () => {
    expect(() => run('get')).toThrow(FormulaRuntimeError);
    expect(() => run('get', 'invoice@wc')).toThrow(FormulaRuntimeError);
  });

  it('throws when the graph cannot look objects up', () => {
    const graph = minimalGraph();
    expect(() => caller(makeEnv({ graph }))('get', 'invoice@wc', 'i1')).toThrow(FormulaRuntimeError);
  });
});

describe('next', () => {
  it('takes the next value of the named sequence', () => {
    const counters = new Map<string, number>();
    const sequences = {
      next(name: string): number {
        const value = (counters.get(name) ?? 0) + 1;
        counters.set(name, value);
        return value;
      },
    };
    const run = caller(makeEnv({ sequences }));
    expect(run('next', 'num42')).toBe(1);
    expect(run('next', 'num42')).toBe(2);
    expect(run('next', 'other')).toBe(1);
  });

  it('throws without an argument or without a provider', () => {
    const run = caller(makeEnv({ sequences: { next: () => 1 } }));
    expect(() => run('next')).toThrow(FormulaRuntimeError);
    expect(() => fn('next', 'num')).toThrow(FormulaRuntimeError);
  });

  it('a null name is a sequence like any other, as in ION (pm-gov-ru next($numEvent) defaults)', () => {
    const names: string[] = [];
    const run = caller(makeEnv({ sequences: { next: (name) => names.push(name) } }));
    expect(run('next', null)).toBe(1);
    expect(run('next', undefined)).toBe(2);
    expect(run('next', 42)).toBe(3);
    expect(names).toEqual(['null', 'null', '42']);
  });
});
