import { describe, expect, it } from 'vitest';
import { openMetaTexts, MetaCodes, type MetaDiagnostic } from '../../src/meta/index.ts';

/** A class file text: key `id`, plus the given properties and class fields. */
const cls = (name: string, properties: unknown[] = [], extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ name, key: ['id'], ...extra, properties: [{ name: 'id', type: 0, orderNumber: 1 }, ...properties] }, null, 2);

const only = (list: readonly MetaDiagnostic[], code: string): MetaDiagnostic[] => list.filter((d) => d.code === code);
const errors = (list: readonly MetaDiagnostic[]): MetaDiagnostic[] => list.filter((d) => d.severity === 'error');

/** Line and column (1-based) of the first occurrence of `needle` in `text`, plus `shift` characters. */
function locate(text: string, needle: string, shift = 0): { line: number; column: number } {
  const at = text.indexOf(needle) + shift;
  const before = text.slice(0, at);
  return { line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}

describe('validation: every problem, with where it is', () => {
  it('invalid JSON is reported at file:line:col', () => {
    const text = '{\n  "name": "a",\n  "properties": [\n    {"name": "id", "type": 0,}\n  ]\n}';
    const { diagnostics } = openMetaTexts({ 'a.class.json': text });
    const [d] = only(diagnostics, MetaCodes.invalidJson);
    expect(d).toMatchObject({ file: 'a.class.json', severity: 'error', ...locate(text, ',}', 1) });
  });

  it('a schema violation names the field', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'x', type: 99, orderNumber: 2 }]) });
    const [d] = only(diagnostics, MetaCodes.schema);
    expect(d?.pointer).toBe('/properties/1/type');
  });

  it('unknown refClass and itemsClass', () => {
    const text = cls('a', [{ name: 'r', type: 13, refClass: 'nope' }, { name: 'c', type: 14, itemsClass: 'neither' }]);
    const { diagnostics } = openMetaTexts({ 'a.class.json': text });
    expect(only(diagnostics, MetaCodes.unknownRefClass)[0]).toMatchObject({ className: 'a', attribute: 'r', ...locate(text, '"nope"') });
    expect(only(diagnostics, MetaCodes.unknownItemsClass)[0]).toMatchObject({ attribute: 'c', pointer: '/properties/2/itemsClass' });
  });

  it('unknown ancestor', () => {
    const { diagnostics } = openMetaTexts({ 'b.class.json': cls('b', [], { ancestor: 'ghost' }) });
    expect(only(diagnostics, MetaCodes.unknownAncestor)[0]?.message).toContain('ghost');
  });

  it('inheritance cycles, reported on every member', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [], { ancestor: 'b' }),
      'b.class.json': cls('b', [], { ancestor: 'c' }),
      'c.class.json': cls('c', [], { ancestor: 'a' }),
    });
    const cycle = only(diagnostics, MetaCodes.inheritanceCycle);
    expect(cycle.map((d) => d.className).sort()).toEqual(['a', 'b', 'c']);
  });

  it('duplicate classes', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [], { namespace: 'x' }), 'sub/a@x.class.json': cls('a') });
    expect(only(diagnostics, MetaCodes.duplicateClass)[0]).toMatchObject({ file: 'sub/a@x.class.json', className: 'a@x' });
  });

  it('missing key (none own, none inherited)', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': JSON.stringify({ name: 'a', key: [], properties: [{ name: 'v', type: 0 }] }) });
    expect(only(diagnostics, MetaCodes.missingKey)).toHaveLength(1);
  });

  it('backRef naming an attribute that does not exist', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [{ name: 'kids', type: 14, itemsClass: 'b', backRef: 'parentX' }]),
      'b.class.json': cls('b', [{ name: 'parent', type: 13, refClass: 'a' }]),
    });
    expect(only(diagnostics, MetaCodes.unknownBackRef)[0]).toMatchObject({ attribute: 'kids', pointer: '/properties/1/backRef' });
  });

  it('backRef naming an attribute that does not point back', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [{ name: 'kids', type: 14, itemsClass: 'b', backRef: 'other' }]),
      'b.class.json': cls('b', [{ name: 'other', type: 13, refClass: 'c' }]),
      'c.class.json': cls('c'),
    });
    expect(only(diagnostics, MetaCodes.backRefNotPointingBack)[0]?.message).toContain('points to c');
  });

  it('backColl naming no mirror collection', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [{ name: 'bs', type: 14, itemsClass: 'b', backColl: 'as' }]),
      'b.class.json': cls('b', [{ name: 'as', type: 13, refClass: 'a' }]),
    });
    expect(only(diagnostics, MetaCodes.unknownBackColl)[0]?.message).toContain('is not a collection of a');
  });

  it('an attribute declared twice, a key naming no attribute', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': JSON.stringify({ name: 'a', key: ['code'], properties: [{ name: 'id', type: 0 }, { name: 'id', type: 6 }] }),
    });
    expect(only(diagnostics, MetaCodes.duplicateAttribute)[0]?.pointer).toBe('/properties/1/name');
    expect(only(diagnostics, MetaCodes.unknownKeyAttribute)[0]?.message).toContain('code');
  });

  it('maps a string formula column onto the file across JSON escapes', () => {
    // the formula text holds a tab, written as the two characters \t in the file
    const text = cls('a', [{ name: 'f', type: 0, formula: "concat('a\tb', $nope)" }]);
    const { diagnostics } = openMetaTexts({ 'a.class.json': text });
    const [d] = only(diagnostics, MetaCodes.unknownAttribute);
    expect(d).toMatchObject({ formulaColumn: 15, ...locate(text, '$nope') });
  });

  it('formula syntax errors: file position and the position inside the formula', () => {
    const text = cls('a', [{ name: 'v', type: 0 }, { name: 'f', type: 6, formula: 'count($v, 1))' }]);
    const { diagnostics } = openMetaTexts({ 'a.class.json': text });
    const [d] = only(diagnostics, MetaCodes.formulaSyntax);
    expect(d).toMatchObject({ attribute: 'f', formulaCode: 'E_SYNTAX', formulaLine: 1 });
    // the stray ")" is at column 12 or 13 of the formula (the parser's choice); the file column follows it
    expect([12, 13]).toContain(d!.formulaColumn);
    expect(d).toMatchObject(locate(text, 'count(', d!.formulaColumn! - 1));
  });

  it('a path segment that does not exist', () => {
    const { diagnostics } = openMetaTexts({
      'pochtamt.class.json': cls('pochtamt', [
        { name: 'raionObslu', type: 14, itemsClass: 'municipalnieObrazovaniya' },
        { name: 'n', type: 6, formula: { count: ['$raionObslu.oktmo_nasPunktaX'] } },
      ]),
      'municipalnieObrazovaniya.class.json': cls('municipalnieObrazovaniya'),
    });
    const [d] = only(diagnostics, MetaCodes.unknownAttribute);
    expect(d?.message).toContain('class municipalnieObrazovaniya has no attribute oktmo_nasPunktaX');
    expect(d).toMatchObject({ className: 'pochtamt', attribute: 'n', pointer: '/properties/2/formula/count/0' });
  });

  it('a path that goes through a scalar', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'name', type: 0 }, { name: 'f', type: 0, formula: { concat: ['$name.first'] } }]) });
    expect(only(diagnostics, MetaCodes.pathThroughScalar)[0]?.message).toContain('a.name is STRING');
  });

  it('wrong arity (catalog min/max): too few is an error, extra ones (ignored by ION) a warning', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [
        { name: 'f', type: 10, formula: { eq: ['$id'] } },
        { name: 'g', type: 10, formula: 'substr()' },
        { name: 'h', type: 10, formula: { not: [1, 2] } },
        { name: 'now', type: 9, formula: { now: [null] } },
      ]),
    });
    expect(only(diagnostics, MetaCodes.arity).map((d) => [d.attribute, d.severity])).toEqual([['f', 'error'], ['g', 'error']]);
    expect(only(diagnostics, MetaCodes.extraArguments).map((d) => [d.attribute, d.severity])).toEqual([['h', 'warning'], ['now', 'warning']]);
  });

  it('unknown functions, in both syntaxes', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [
        { name: 'd', type: 9 },
        { name: 'f', type: 6, formula: 'foo($id)' },
        { name: 'g', type: 10, formula: { eq: [{ year: ['$d'] }, 2020] } },
      ]),
    });
    const unknown = only(diagnostics, MetaCodes.unknownFunction);
    expect(unknown.map((d) => d.attribute)).toEqual(['f', 'g']);
    expect(unknown[1]?.pointer).toBe('/properties/3/formula/eq/0/year');
  });

  it('a cacheDependencies path that does not end on a reference or collection', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'name', type: 0 }], { cacheDependencies: ['name'] }) });
    expect(only(diagnostics, MetaCodes.badCacheDependency)[0]).toMatchObject({ pointer: '/cacheDependencies/0' });
  });

  it('an unknown class in a class-form aggregation', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'n', type: 6, formula: { count: ['ghost@x', 'id'] } }]) });
    expect(only(diagnostics, MetaCodes.unknownClassInFormula)[0]?.message).toContain('ghost@x');
  });

  it('reports every problem of a set at once', () => {
    const { diagnostics } = openMetaTexts({
      'a.class.json': cls('a', [{ name: 'r', type: 13, refClass: 'nope' }, { name: 'f', type: 6, formula: { count: ['$missing'] } }], { ancestor: 'ghost' }),
      'b.class.json': '{ "name": ',
    });
    expect(new Set(errors(diagnostics).map((d) => d.code))).toEqual(
      new Set([MetaCodes.unknownRefClass, MetaCodes.unknownAttribute, MetaCodes.unknownAncestor, MetaCodes.invalidJson]),
    );
  });
});

describe('validation: warnings for what ION tolerates', () => {
  it('a lazy argument nothing consumes', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'b', type: 10 }, { name: 'f', type: 10, formula: { or: [{ eq: ['$b', true] }, { '&eq': ['$b', false] }] } }]) });
    const [d] = only(diagnostics, MetaCodes.unconsumedLazy);
    expect(d).toMatchObject({ severity: 'warning', pointer: '/properties/2/formula/or/1' });
  });

  it('an attribute that exists only in a subclass', () => {
    const { diagnostics } = openMetaTexts({
      'doc.class.json': cls('doc', [{ name: 'owner', type: 13, refClass: 'person' }]),
      'invoice.class.json': JSON.stringify({ name: 'invoice', ancestor: 'doc', properties: [{ name: 'total', type: 7 }] }),
      'person.class.json': cls('person', [{ name: 'docs', type: 14, itemsClass: 'doc', backRef: 'owner' }, { name: 's', type: 7, formula: { sum: ['$docs', 'total'] } }]),
    });
    const [d] = only(diagnostics, MetaCodes.subclassAttribute);
    expect(d).toMatchObject({ severity: 'warning', className: 'person', attribute: 's' });
    expect(errors(diagnostics)).toEqual([]);
  });

  it('text ION ignores after the last )', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'f', type: 6, formula: 'count($id) extra' }]) });
    const [d] = only(diagnostics, MetaCodes.formulaWarning);
    expect(d).toMatchObject({ severity: 'warning', formulaCode: 'W_IGNORED_TEXT', formulaColumn: 12 });
  });
});

describe('validation: one problem, one report', () => {
  it('a collection path that fails to bind does not also report its condition as unbound', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'n', type: 6, formula: 'count($nope, &eq($x, 1))' }]) });
    expect(diagnostics.map((d) => d.code)).toEqual([MetaCodes.unknownAttribute]);
  });

  it('a condition over a computed collection is reported as unbound, once', () => {
    const { diagnostics } = openMetaTexts({ 'a.class.json': cls('a', [{ name: 'n', type: 6, formula: { count: [{ collect: ['$id'] }, { '&eq': ['$x', { add: ['$y', 1] }] }] } }]) });
    expect(diagnostics.map((d) => d.code)).toEqual([MetaCodes.unboundRead]);
  });
});
