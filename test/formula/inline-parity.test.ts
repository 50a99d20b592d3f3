/**
 * The compiler inlines hot paths (two-argument comparisons, count/sum loops over collections);
 * these properties check that the inlined code gives exactly what the library functions give.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/formula/compile.ts';
import { binaryOps } from '../../src/formula/functions/binary-ops.ts';
import { getFunction } from '../../src/formula/functions/index.ts';
import { PlainObjectGraph } from '../../src/formula/plain-graph.ts';
import { LazyFormula, type EvalEnv } from '../../src/formula/runtime.ts';

const graph = new PlainObjectGraph();
const env: EvalEnv = { graph, now: () => new Date(0), locale: 'en', warn: () => undefined };

const scalar = fc.oneof(
  fc.constantFrom(null, 0, 1, -1, '1', '', 'b', 'c', true, false, Number.NaN),
  fc.integer({ min: -5, max: 5 }),
  fc.date({ min: new Date(0), max: new Date(10_000), noInvalidDate: true }),
);
const element = fc.oneof(
  { weight: 8, arbitrary: fc.record({ id: fc.constantFrom('o1', 'o2', 'o3', 'o4'), gops: scalar, staff: scalar }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 0, 5, 'x') },
);
const dates = (v: unknown): unknown => (v instanceof Date ? v.getTime() : v);

describe('inlined code equals the library', () => {
  it('two-argument comparisons', () => {
    fc.assert(
      fc.property(fc.constantFrom('eq', 'ne', 'lt', 'gt', 'lte', 'gte'), scalar, scalar, (name, a, b) => {
        const impl = getFunction(name)?.impl;
        const inlined = compileFormula({ [name]: ['$a', '$b'] }).evaluate({ a, b });
        expect(inlined).toBe(impl?.(env, [a, b]));
        expect(inlined).toBe(binaryOps[name as keyof typeof binaryOps](graph, a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('add and mul see objects and arrays as their text', () => {
    const operand = fc.oneof(
      scalar,
      fc.constantFrom({ id: 'k1', __semantic: '7' }, { id: 'k2' }, [1, null, 2], [{ id: 'k3', __semantic: 'x' }], []),
    );
    fc.assert(
      fc.property(fc.constantFrom('add', 'mul'), fc.array(operand, { maxLength: 3 }), (name, values) => {
        const object = Object.fromEntries(values.map((v, i) => [`v${i}`, v]));
        const formula = { [name]: values.map((_, i) => `$v${i}`) };
        const expected = getFunction(name)?.impl(env, values);
        expect(compileFormula(formula).evaluate(object)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('count and sum loops', () => {
    fc.assert(
      fc.property(
        fc.array(element, { maxLength: 12 }),
        fc.constantFrom('b', 1, null),
        fc.constantFrom(undefined, 0, 1, '', 'yes'),
        fc.boolean(),
        (items, wanted, unique, withCondition) => {
          const condition = new LazyFormula((e) => getFunction('eq')?.impl(env, [(e as { gops?: unknown })?.gops ?? null, wanted]), 'eq');
          const lazyJson = { '&eq': ['$gops', wanted] };
          const target = { items };
          const countArgs: unknown[] = withCondition ? ['$items', lazyJson] : ['$items'];
          const countLib: unknown[] = withCondition ? [items, condition] : [items];
          if (unique !== undefined) {
            if (!withCondition) {
              countArgs.push(null);
              countLib.push(null);
            }
            countArgs.push(unique);
            countLib.push(unique);
          }
          const countExpected = catchError(() => getFunction('count')?.impl(env, countLib));
          expect(catchError(() => compileFormula({ count: countArgs }).evaluate(target))).toEqual(countExpected);

          const sumArgs: unknown[] = ['$items', 'staff', withCondition ? lazyJson : null];
          const sumLib: unknown[] = [items, 'staff', withCondition ? condition : null];
          if (unique !== undefined) {
            sumArgs.push(unique);
            sumLib.push(unique);
          }
          const sumExpected = dates(getFunction('sum')?.impl(env, sumLib));
          expect(dates(compileFormula({ sum: sumArgs }).evaluate(target))).toEqual(sumExpected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    return { error: (error as Error).name };
  }
}
