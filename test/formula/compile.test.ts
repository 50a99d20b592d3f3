import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../src/formula/compile.ts';
import { castToPropertyType } from '../../src/formula/cast.ts';
import { PlainObjectGraph } from '../../src/formula/plain-graph.ts';
import { FormulaRuntimeError, LazyFormula } from '../../src/formula/runtime.ts';

const y = { add: [{ mul: ['$a', '$x', '$x'] }, { mul: ['$b', '$x'] }, '$c'] };

describe('compileFormula: develop-and-test fixtures (ion-spec §1.10)', () => {
  it.each([
    [{ a: 12, b: 45, c: 32, x: 18 }, 4730],
    [{ a: 5, b: 8, c: 4, x: 9 }, 481],
    [{ a: 134, b: 679, c: 328, x: 583 }, 45941311],
    [{ a: 12, b: 12, c: 34, x: 76 }, 70258],
  ])('calcAttr.y of %j is %d', (object, expected) => {
    expect(compileFormula(y).evaluate(object)).toBe(expected);
  });

  const link = { linkObj: { id: 4, a: 12, b: 12, c: 34 } };
  it.each([
    [{ add: ['$linkObj.a', '$linkObj.b', '$linkObj.c'] }, '58'],
    [{ sub: ['$linkObj.a', '$linkObj.b', '$linkObj.c'] }, '-34'],
    [{ mul: ['$linkObj.a', '$linkObj.b', '$linkObj.c'] }, '4896'],
    [{ div: ['$linkObj.a', '$linkObj.b', '$linkObj.c'] }, '0.029411764705882353'],
  ])('calcLinkAttr %j cast to STRING is %s', (formula, expected) => {
    expect(castToPropertyType(compileFormula(formula).evaluate(link), 0)).toBe(expected);
  });
});

describe('compileFormula: logic is inlined with ION semantics', () => {
  const ev = (formula: unknown, object: object = {}): unknown => compileFormula(formula).evaluate(object);

  it('and returns false at the first false, else the last value', () => {
    expect(ev({ and: [1, 0] })).toBe(0);
    expect(ev({ and: [null, 'x'] })).toBe('x');
    expect(ev({ and: [] })).toBe(false);
    expect(ev({ and: [1, false, 'x'] })).toBe(false);
  });

  it('or returns true at the first true, else the last value', () => {
    expect(ev({ or: [false, 0] })).toBe(0);
    expect(ev({ or: [1, true, 0] })).toBe(true);
    expect(ev({ or: ['$active', '$note'] }, { active: false, note: null })).toBe(null);
  });

  it('and/or short-circuit: later arguments are not evaluated', () => {
    // add of a plain object would not throw, so use a path on a nested getter that throws.
    let touched = 0;
    const object = {
      get later(): number {
        touched++;
        return 1;
      },
    };
    // A getter is an own property: the plain graph reads it through the generic path.
    const graph = new PlainObjectGraph();
    compileFormula({ and: [false, '$later'] }).evaluate(object, { graph });
    compileFormula({ or: [true, '$later'] }).evaluate(object, { graph });
    expect(touched).toBe(0);
    compileFormula({ or: [false, '$later'] }).evaluate(object, { graph });
    expect(touched).toBe(1);
  });

  it('if evaluates only the chosen branch; a missing else is undefined', () => {
    expect(ev({ if: ['$p', 'priced', 'no price'] }, { p: null })).toBe('no price');
    expect(ev({ if: ['$p', 'priced', 'no price'] }, { p: 0.5 })).toBe('priced');
    expect(ev({ if: [0, 'yes'] })).toBe(undefined);
  });

  it('add folds from 0 and mul from 1 with the JS operators', () => {
    expect(ev({ add: [] })).toBe(0);
    expect(ev({ add: ['1', 2] })).toBe('012');
    expect(ev({ add: [null, 5] })).toBe(5);
    expect(ev({ mul: [] })).toBe(1);
    expect(ev({ add: ['$missing', 1] })).toBe(1);
  });
});

describe('compileFormula: paths', () => {
  it('walks references and flattens collections (ION objProp)', () => {
    const object = {
      districts: [
        { settlements: [{ name: 'a' }, { name: 'b' }] },
        { settlements: [{ name: 'c' }] },
        { settlements: null },
      ],
      ref: { inner: { v: 7 } },
    };
    const c = compileFormula('$districts.settlements.name');
    expect(compileFormula({ concat: ['$districts.settlements'] }).reads).toHaveLength(1);
    expect(compileFormula({ collect: ['$districts.settlements.name'] }).ast.kind).toBe('call');
    // A district whose collection is null contributes a null (scalars, null included, are pushed).
    expect(c.evaluate(object)).toEqual(['a', 'b', 'c', null]);
    expect(compileFormula('$ref.inner.v').evaluate(object)).toBe(7);
    expect(compileFormula('$ref.missing.v').evaluate(object)).toBe(null);
    expect(compileFormula('$districts.settlements').evaluate(object)).toEqual([
      { name: 'a' },
      { name: 'b' },
      { name: 'c' },
      null,
    ]);
  });

  it('never reaches JavaScript internals', () => {
    const object = { a: 1, ref: { b: 2 } };
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'length']) {
      expect(compileFormula(`$${name}`).evaluate(object)).toBe(null);
      expect(compileFormula(`$ref.${name}`).evaluate(object)).toBe(null);
      expect(compileFormula(`$${name}`).evaluate(object, { graph: new PlainObjectGraph() })).toBe(null);
    }
  });

  it('gives the same values in plain and graph mode', () => {
    const object = { a: 2, b: 'x', ref: { c: 3 }, list: [{ d: 1 }, { d: 2 }] };
    const graph = new PlainObjectGraph();
    for (const formula of [
      { add: ['$a', '$ref.c'] },
      { concat: ['$b', '$a'] },
      { if: ['$missing', 1, '$list.d'] },
      { and: ['$a', '$b'] },
    ]) {
      const compiled = compileFormula(formula);
      expect(compiled.evaluate(object, { graph })).toEqual(compiled.evaluate(object));
    }
  });
});

describe('compileFormula: code generation is safe', () => {
  it('keeps hostile literals as text', () => {
    const hostile = '"); globalThis.pwned = true; ("\\u2028`${1}`';
    expect(compileFormula({ concat: [hostile] }).evaluate({})).toBe(hostile);
    expect((globalThis as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('keeps a __proto__ key of a data object as a plain key', () => {
    // JSON objects with a literal "__proto__" key come from JSON.parse.
    const parsed = compileFormula(JSON.parse('{"__proto__": [1, 2]}')).evaluate({}) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual([1, 2]);
  });

  it('reads attribute names that are not identifiers', () => {
    expect(compileFormula('$my-attr').evaluate({ 'my-attr': 4 })).toBe(4);
    expect(compileFormula({ add: ['$дата', 1] }).evaluate({ дата: 1 })).toBe(2);
  });
});

describe('compileFormula: API', () => {
  it('caches by source text unless told not to', () => {
    expect(compileFormula({ add: ['$a', 1] })).toBe(compileFormula({ add: ['$a', 1] }));
    expect(compileFormula({ add: ['$a', 1] }, { cache: false })).not.toBe(compileFormula({ add: ['$a', 1] }));
  });

  it('reports what a formula reads, element reads anchored at the collection', () => {
    const reads = compileFormula(
      "merge($raionObslu.oktmo_nasPunkta.svyaz.ops,naselenniyPunkt.okato.name,&eq($gops, c),1,', ')",
    ).reads;
    expect(reads.map((r) => (r.kind === 'path' ? `${r.via}:${r.segments.join('.')}` : r.kind))).toEqual([
      'path:raionObslu.oktmo_nasPunkta.svyaz.ops',
      'element:raionObslu.oktmo_nasPunkta.svyaz.ops.naselenniyPunkt.okato.name',
      'element:raionObslu.oktmo_nasPunkta.svyaz.ops.gops',
    ]);
  });

  it('reports class-form aggregations as class reads', () => {
    const reads = compileFormula({
      count: ['eventBasic@pm-gov-ru', 'guid', { obj: ['dateStart', ['gt', { now: [] }], 'project_code', '$project_code'] }],
    }).reads;
    expect(reads).toContainEqual(
      expect.objectContaining({ kind: 'class', fn: 'count', className: 'eventBasic@pm-gov-ru', attribute: 'guid', filterAttributes: ['dateStart', 'project_code'] }),
    );
    expect(reads).toContainEqual(expect.objectContaining({ kind: 'path', segments: ['project_code'] }));
  });

  it('a lazy argument nothing consumes is a function value', () => {
    expect(compileFormula('or(eq($a,1), &eq($a,2))').evaluate({ a: 2 })).toBeInstanceOf(LazyFormula);
  });

  it('turns JavaScript errors inside functions into FormulaRuntimeError', () => {
    expect(() => compileFormula({ like: ['$s', '['] }).evaluate({ s: 'x' })).toThrow(FormulaRuntimeError);
  });

  it('rejects a target that is not an object, and unknown options', () => {
    expect(() => compileFormula('$a').evaluate(5)).toThrow(TypeError);
    expect(() => compileFormula('$a').evaluate({}, { colour: 'red' } as object)).toThrow(/unknown evaluate option "colour"/);
  });

  it('uses the injected clock', () => {
    const now = new Date('2020-03-01T10:30:00Z');
    expect(compileFormula({ now: [] }).evaluate({}, { now })).toEqual(now);
  });
});
