import { describe, expect, it } from 'vitest';
import type { ClassAggregateRequest } from '../../../src/formula/graph.ts';
import { PlainObjectGraph } from '../../../src/formula/plain-graph.ts';
import { FormulaRuntimeError, readDotted } from '../../../src/formula/runtime.ts';
import { attrEquals, caller, lazy, makeEnv, minimalGraph } from './helpers.ts';

/**
 * The §1.5 harness (telecom-ru pochtamt.kolStatOps): 2 districts, 3 settlements, post offices
 * O1(b), O2(b, serving two settlements), O3(c), O4(c).
 */
function pochtamt(): { pochtamt: object; ops: unknown[] } {
  const o1 = { id: 'O1', gops: 'b', name: 'ОПС Рыбачье', staff: 4 };
  const o2 = { id: 'O2', gops: 'b', name: 'ОПС Полынное', staff: 9 };
  const o3 = { id: 'O3', gops: 'c', name: 'ПОПС Маяк', staff: 2 };
  const o4 = { id: 'O4', gops: 'c', name: 'ПОПС Степь', staff: 1 };
  const settlement = (id: string, ...ops: object[]): object => ({ id, svyaz: { id: `sv-${id}`, ops } });
  const districts = [
    { id: 'D1', oktmo_nasPunkta: [settlement('S1', o1, o2), settlement('S2', o2, o3)] },
    { id: 'D2', oktmo_nasPunkta: [settlement('S3', o4)] },
  ];
  const root = { id: 'P1', raionObslu: districts };
  const ops = readDotted(new PlainObjectGraph(), root, 'raionObslu.oktmo_nasPunkta.svyaz.ops') as unknown[];
  return { pochtamt: root, ops };
}

describe('the §1.5 harness: count($raionObslu.oktmo_nasPunkta.svyaz.ops, &eq($gops, b), 1) [verified]', () => {
  const env = makeEnv();
  const fn = caller(env);
  const { ops } = pochtamt();

  it('the path gives every office once per settlement it serves', () => {
    expect(ops.map((o) => (o as { id: string }).id)).toEqual(['O1', 'O2', 'O2', 'O3', 'O4']);
  });

  it('with unique → 2, without → 3, no condition → 5', () => {
    expect(fn('count', ops, attrEquals(env, 'gops', 'b'), 1)).toBe(2);
    expect(fn('count', ops, attrEquals(env, 'gops', 'b'))).toBe(3);
    expect(fn('count', ops)).toBe(5);
    expect(fn('count', ops, attrEquals(env, 'gops', 'c'), 1)).toBe(2);
  });

  it('merge(ops, name, &eq($gops, b), 1, ", ") joins distinct names (pochtamt.terrObslu shape)', () => {
    expect(fn('merge', ops, 'name', attrEquals(env, 'gops', 'b'), 1, ', ')).toBe('ОПС Рыбачье, ОПС Полынное');
    expect(fn('merge', ops, 'name', attrEquals(env, 'gops', 'b'), 0, ', ')).toBe('ОПС Рыбачье, ОПС Полынное, ОПС Полынное');
  });

  it('sum with unique counts each office once', () => {
    expect(fn('sum', ops, 'staff', null, 1)).toBe(16);
    expect(fn('sum', ops, 'staff')).toBe(25);
    expect(fn('sum', ops, 'staff', attrEquals(env, 'gops', 'c'))).toBe(3);
  });
});

describe('count', () => {
  const env = makeEnv();
  const fn = caller(env);
  const a = { id: 'a' };
  const b = { id: 'b' };

  it('counts truthy elements', () => {
    expect(fn('count', [a, null, 0, '', undefined, b])).toBe(2);
    expect(fn('count', [])).toBe(0);
  });

  it('a non-array, non-string source gives null (count($emptyRef) is null) [verified]', () => {
    expect(fn('count', null)).toBeNull();
    expect(fn('count', undefined)).toBeNull();
    expect(fn('count', a)).toBeNull();
    expect(fn('count', 5)).toBeNull();
  });

  it('throws without a source', () => {
    expect(() => fn('count')).toThrow(FormulaRuntimeError);
  });

  it('count(x, null, 1) throws: a 2nd argument that is not a formula is an error [verified]', () => {
    expect(() => fn('count', [a], null, 1)).toThrow(FormulaRuntimeError);
    expect(() => fn('count', [a], 'b')).toThrow(FormulaRuntimeError);
    expect(() => fn('count', [a], false)).toThrow(FormulaRuntimeError);
    // ION only fails when it calls the condition: never on an empty collection.
    expect(fn('count', [], null, 1)).toBe(0);
    // '' stays '' when made text: no condition at all.
    expect(fn('count', [a, a], '', 1)).toBe(1);
  });

  it('unique de-dupes objects by id and other values by value', () => {
    expect(fn('count', [a, { id: 'a', copy: true }, b], '', 1)).toBe(2);
    expect(fn('count', ['x', 'x', 'y'], '', 1)).toBe(2);
  });

  it('runs the condition with each truthy element as context, skipping falsy ones', () => {
    const seen: unknown[] = [];
    const condition = lazy((element) => {
      seen.push(element);
      return element === b;
    });
    expect(fn('count', [a, null, b], condition)).toBe(1);
    expect(seen).toEqual([a, b]);
  });

  it('takes any truthy condition result', () => {
    expect(fn('count', [a, b], lazy(() => 'yes'))).toBe(2);
    expect(fn('count', [a, b], lazy(() => 0))).toBe(0);
  });
});

describe('sum', () => {
  const env = makeEnv();
  const fn = caller(env);

  it('adds non-null values from 0 with JS + (strings concatenate)', () => {
    expect(fn('sum', [{ v: 1 }, { v: null }, { v: 2.5 }, {}], 'v')).toBe(3.5);
    expect(fn('sum', [{ v: 1 }, { v: '2' }, { v: 3 }], 'v')).toBe('123');
    expect(fn('sum', [], 'v')).toBe(0);
  });

  it('reads a dotted attribute through references and collections', () => {
    const districts = [
      { id: 'd1', settlements: [{ id: 's1', population: 100 }, { id: 's2', population: 255 }] },
      { id: 'd2', settlements: [] },
      { id: 'd3', head: { id: 'h', age: 40 } },
    ];
    expect(fn('sum', districts, 'settlements.population')).toBe(355);
    expect(fn('sum', districts, 'head.age')).toBe(40);
  });

  it('unique also de-dupes inside a dotted attribute', () => {
    const shared = { id: 's', population: 10 };
    const districts = [{ id: 'd1', settlements: [shared, shared] }, { id: 'd2', settlements: [shared] }];
    expect(fn('sum', districts, 'settlements.population')).toBe(30);
    // Each district's own list is de-duplicated, as ION's nested work does.
    expect(fn('sum', districts, 'settlements.population', null, 1)).toBe(20);
  });

  it('non-array source → null; missing attribute → error once an element is reached', () => {
    expect(fn('sum', null, 'v')).toBeNull();
    expect(() => fn('sum', [{ v: 1 }])).toThrow(FormulaRuntimeError);
    expect(fn('sum', [])).toBe(0);
  });

  it('a condition that is not a formula: falsy is ignored (with a warning), truthy throws', () => {
    const local = makeEnv();
    expect(caller(local)('sum', [{ v: 1 }], 'v', false)).toBe(1);
    expect(local.warnings).toHaveLength(1);
    expect(fn('sum', [{ v: 1 }], 'v', null)).toBe(1);
    expect(() => fn('sum', [{ v: 1 }], 'v', 'x')).toThrow(FormulaRuntimeError);
  });
});

describe('avg', () => {
  const fn = caller();

  it('sums truthy values and divides by the number of passing elements', () => {
    expect(fn('avg', [{ staff: 2 }, { staff: 3 }], 'staff')).toBe(2.5);
    expect(fn('avg', [{ staff: 2 }, { staff: null }], 'staff')).toBe(1);
    expect(fn('avg', [{ staff: 4 }, { staff: 8 }], 'staff', lazy((o) => (o as { staff: number }).staff > 5))).toBe(8);
  });

  it('of nothing is NaN [verified]', () => {
    expect(fn('avg', [], 'staff')).toBeNaN();
    expect(fn('avg', [{ staff: 1 }], 'staff', lazy(() => false))).toBeNaN();
  });
});

describe('max', () => {
  const fn = caller();

  it('starts at 0: empty → null, all negative → 0 [verified]', () => {
    expect(fn('max', [], 'v')).toBeNull();
    expect(fn('max', [{ v: -5 }, { v: -1 }], 'v')).toBe(0);
    expect(fn('max', [{ v: 3 }, { v: 7 }, { v: 5 }], 'v')).toBe(7);
    expect(fn('max', [{ v: 3 }], 'v', lazy(() => false))).toBe(0);
  });

  it('keeps dates (compared by time) and never takes text', () => {
    const late = new Date('1999-09-09T00:00:00Z');
    expect(fn('max', [{ v: new Date('1990-01-01T00:00:00Z') }, { v: late }], 'v')).toBe(late);
    expect(fn('max', [{ v: 'b' }, { v: 'a' }], 'v')).toBe(0); // 'b' > 0 is false in JS
  });
});

describe('min', () => {
  const fn = caller();

  it('starts at +∞: empty → null', () => {
    expect(fn('min', [], 'v')).toBeNull();
    expect(fn('min', [{ v: 3 }, { v: 1 }, { v: 2 }], 'v')).toBe(1);
    expect(fn('min', [{ v: 9 }, { v: 12 }], 'v', lazy(() => true))).toBe(9);
  });

  it('a null value compares as 0', () => {
    expect(fn('min', [{ v: 3 }, { v: null }, { v: 5 }], 'v')).toBeNull();
    expect(fn('min', [{ v: 3 }, { v: null }, { v: -1 }], 'v')).toBe(-1);
  });

  it('nothing passing the condition leaves +∞', () => {
    expect(fn('min', [{ v: 3 }], 'v', lazy(() => false))).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('merge', () => {
  const fn = caller();
  const offices = [{ kind: 'c' }, { kind: 'b' }, { kind: 'c' }, { kind: 'a' }, { kind: '' }, { kind: null }];

  it('joins truthy values with the separator, default and empty separator both a space', () => {
    expect(fn('merge', offices, 'kind')).toBe('c b c a');
    expect(fn('merge', offices, 'kind', null, 1, '')).toBe('c b a'); // conformance SB-beeline-st3
    expect(fn('merge', offices, 'kind', null, 0, '/')).toBe('c/b/c/a');
  });

  it('unique de-dupes values', () => {
    expect(fn('merge', [{ n: 'x' }, { n: 'y' }, { n: 'x' }], 'n', null, 1, ', ')).toBe('x, y');
  });

  it('shows values as text and a linked object as its stored key (id), as ION Item.get does', () => {
    expect(fn('merge', [{ n: 1 }, { n: true }, { n: 0 }], 'n')).toBe('1 true');
    expect(fn('merge', [{ ref: { id: 'op1', __semantic: 'Beeline' } }], 'ref')).toBe('op1');
  });

  it('follows a dotted attribute and joins the nested values with the same separator', () => {
    const stations = [{ offices: [{ kind: 'a' }, { kind: 'b' }] }, { offices: [] }, { offices: [{ kind: 'c' }] }];
    expect(fn('merge', stations, 'offices.kind', null, 0, ';')).toBe('a;b;c');
  });

  it('a non-array source gives empty text', () => {
    expect(fn('merge', null, 'kind')).toBe('');
    expect(fn('merge', { id: 'x' }, 'kind')).toBe('');
  });
});

describe('class form', () => {
  const offices = [
    { id: 'so1', kind: 'b', staff: 9 },
    { id: 'so2', kind: 'b', staff: 4 },
    { id: 'so3', kind: 'c', staff: 2 },
    { id: 'so4', kind: 'a', staff: 24 },
  ];
  const env = makeEnv({ classes: { 'office@wb': offices } });
  const fn = caller(env);

  it('builds the filter from an obj(attr, value | [op, value]) argument and asks the graph', () => {
    const filter = fn('obj', 'staff', ['gte', 4]);
    expect(fn('count', 'office@wb', 'id', filter)).toBe(3);
    expect(fn('sum', 'office@wb', 'staff')).toBe(39);
    expect(fn('count', 'office@wb', 'id', fn('obj', 'kind', 'b'))).toBe(2);
  });

  it('class-form min computes the minimum and merge joins (ION computed max and sum: fixed)', () => {
    expect(fn('min', 'office@wb', 'staff', fn('obj', 'kind', 'b'))).toBe(4);
    expect(fn('max', 'office@wb', 'staff', fn('obj', 'kind', 'b'))).toBe(9);
    expect(fn('merge', 'office@wb', 'kind', fn('obj', 'staff', ['lt', 5]))).toBe('b c');
  });

  it('sends the request: fn, class, attribute, filter', () => {
    const requests: ClassAggregateRequest[] = [];
    const graph = minimalGraph({
      aggregate: (request) => {
        requests.push(request);
        return 42;
      },
    });
    const run = caller(makeEnv({ graph }));
    const now = new Date('2024-01-01T00:00:00Z');
    expect(run('count', 'eventBasic@pm-gov-ru', 'guid', run('obj', 'dateStart', ['gt', now], 'project_code', 'P-7'))).toBe(42);
    expect(run('avg', 'eventBasic', 'progress')).toBe(42);
    expect(requests).toEqual([
      {
        fn: 'count',
        className: 'eventBasic@pm-gov-ru',
        attribute: 'guid',
        filter: { dateStart: ['gt', now], project_code: 'P-7' },
      },
      { fn: 'avg', className: 'eventBasic', attribute: 'progress', filter: {} },
    ]);
  });

  it('throws when the graph cannot aggregate over a class', () => {
    const graph = minimalGraph();
    expect(() => caller(makeEnv({ graph }))('count', 'office@wb')).toThrow(FormulaRuntimeError);
  });
});

describe('elements that are not objects', () => {
  const fn = caller();

  it('give no attribute value: undefined, so sum is NaN as in ION, merge and max ignore them', () => {
    expect(fn('sum', [{ v: 1 }, 5], 'v')).toBeNaN();
    expect(fn('merge', ['a', { v: 'b' }], 'v')).toBe('b');
    expect(fn('max', [7, { v: 2 }], 'v')).toBe(2);
    expect(fn('count', [7, 'x'])).toBe(2);
  });
});
