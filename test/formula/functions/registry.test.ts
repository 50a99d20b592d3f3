import { describe, expect, it } from 'vitest';
import { FUNCTION_CATALOG } from '../../../src/formula/functions/catalog.ts';
import { FUNCTIONS, getFunction, IMPLEMENTATIONS } from '../../../src/formula/functions/index.ts';

describe('function registry', () => {
  it('has exactly one implementation per catalog entry, in the family the catalog names', () => {
    for (const [name, meta] of FUNCTION_CATALOG) {
      const families = Object.entries(IMPLEMENTATIONS)
        .filter(([, impls]) => Object.prototype.hasOwnProperty.call(impls, name))
        .map(([family]) => family);
      expect(families, name).toEqual([meta.family]);
    }
  });

  it('has no implementation without a catalog entry', () => {
    for (const impls of Object.values(IMPLEMENTATIONS)) {
      for (const name of Object.keys(impls)) expect(FUNCTION_CATALOG.has(name), name).toBe(true);
    }
  });

  it('joins metadata and implementation for every catalog function (ION has 44)', () => {
    expect(FUNCTIONS.size).toBe(FUNCTION_CATALOG.size);
    expect(FUNCTIONS.size).toBeGreaterThanOrEqual(44);
    const count = getFunction('count');
    expect(count?.family).toBe('aggregate');
    expect(count?.evalLimit).toBe(5);
    expect(typeof count?.impl).toBe('function');
  });

  it('looks names up case-sensitively and never through the prototype', () => {
    expect(getFunction('Count')).toBeUndefined();
    expect(getFunction('toString')).toBeUndefined();
    expect(getFunction('constructor')).toBeUndefined();
    expect(getFunction('format')?.impl).toBe(getFunction('dateFormat')?.impl);
  });
});
