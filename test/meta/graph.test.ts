import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openMeta, openMetaTexts, MetaCodes, type ReverseStep, type Trigger } from '../../src/meta/index.ts';
import { sharedPath } from '../shared-dir.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const WORLDS = sharedPath('conformance/worlds');
const telecom = openMeta(`${FIXTURES}telecom-ru`, { namespace: 'telecom-ru' });

const short = (name: string): string => name.split('@')[0]!;
const step = (s: ReverseStep): string =>
  s.kind === 'classScan' ? `classScan(${short(s.to)}${s.ties.map((t) => ` ${t.ownerAttribute}=${t.attribute}`).join('')})` : `${s.kind}(${short(s.to)}.${s.field})`;
/** `changedClass.field[kind] <- reverse steps`, namespaces dropped. */
const show = (t: Trigger): string => `${short(t.class)}.${t.field}[${t.kind}] <- ${t.reverse.map(step).join(' < ') || 'self'}`;
const triggersFor = (graph: typeof telecom.graph, cls: string, attribute: string): string[] =>
  graph.triggers.filter((t) => t.target.class === cls && t.target.attribute === attribute).map(show).sort();

describe('the pochtamt chain of §1.5', () => {
  // count($raionObslu.oktmo_nasPunkta.svyaz.ops, &eq($gops, b), 1) reads, from a pochtamt:
  // raionObslu (id array, backColl pochtamt) → oktmo_nasPunkta (settlements whose supOktmo is the
  // district) → svyaz (the svyaz whose okato is the settlement) → ops (id array) → gops.
  const chain = [
    'pochtamt.raionObslu[link] <- self',
    'municipalnieObrazovaniya.pochtamt[link] <- backColl(pochtamt.raionObslu)',
    'naselenniyPunkt.supOktmo[link] <- backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
    'svyaz.okato[link] <- backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
    'svyaz.ops[link] <- backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
    'ops.gops[value] <- idArray(svyaz.ops) < backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
  ];

  it.each(['kolStatOps', 'kolPerOps'])('%s: exactly the reverse paths of the chain', (attribute) => {
    expect(triggersFor(telecom.graph, 'pochtamt@telecom-ru', attribute)).toEqual([...chain].sort());
  });

  it('terrObslu also reads naselenniyPunkt.okato.name on each ops (the merge attribute argument)', () => {
    const extra = [
      'ops.naselenniyPunkt[link] <- idArray(svyaz.ops) < backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
      'svyaz.ops[link] <- backColl(ops.naselenniyPunkt) < idArray(svyaz.ops) < backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
      'svyaz.okato[link] <- backColl(ops.naselenniyPunkt) < idArray(svyaz.ops) < backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
      'naselenniyPunkt.name[value] <- reference(svyaz.okato) < backColl(ops.naselenniyPunkt) < idArray(svyaz.ops) < backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)',
    ];
    expect(triggersFor(telecom.graph, 'pochtamt@telecom-ru', 'terrObslu')).toEqual([...chain, ...extra].sort());
  });

  it('a change of ops.gops recomputes the three cached attributes of pochtamt, and nothing else', () => {
    const fired = telecom.graph.dependantsOf('ops@telecom-ru', ['gops']);
    expect(fired.map((t) => t.target.attribute).sort()).toEqual(['kolPerOps', 'kolStatOps', 'terrObslu']);
    expect(telecom.graph.dependantsOf('ops@telecom-ru', ['tel', 'adress'])).toEqual([]);
  });

  it('reads are listed per target with their paths', () => {
    const target = telecom.graph.targets.find((t) => t.class === 'pochtamt@telecom-ru' && t.attribute === 'kolStatOps')!;
    expect(target.reads).toContainEqual({ class: 'ops@telecom-ru', attribute: 'gops', kind: 'value', path: 'raionObslu.oktmo_nasPunkta.svyaz.ops.gops' });
  });

  it('ION declares none of it: the chain is reported as undeclared from every class on it', () => {
    const fromOps = telecom.graph.undeclared.find((u) => u.class === 'ops@telecom-ru' && u.target.attribute === 'kolStatOps');
    expect(fromOps).toMatchObject({ path: 'naselenniyPunkt.okato.supOktmo.pochtamt', fields: ['gops'] });
  });

  it('a cascade of declarations along the chain covers it (ION follows them depth-first)', () => {
    const dir = `${FIXTURES}telecom-ru/`;
    const deps: Record<string, string[]> = { 'ops.class.json': ['naselenniyPunkt'], 'svyaz.class.json': ['okato'], 'naselenniyPunkt.class.json': ['supOktmo'], 'municipalnieObrazovaniya.class.json': ['pochtamt'] };
    const texts = Object.fromEntries(
      readdirSync(dir).map((f) => {
        const json = JSON.parse(readFileSync(dir + f, 'utf8')) as Record<string, unknown>;
        if (deps[f]) json.cacheDependencies = deps[f];
        return [f, JSON.stringify(json)];
      }),
    );
    const meta = openMetaTexts(texts, { namespace: 'telecom-ru' });
    expect(meta.graph.undeclared.filter((u) => u.class === 'ops@telecom-ru' && u.target.class === 'pochtamt@telecom-ru')).toEqual([]);
    expect(meta.graph.declared.every((d) => d.needed)).toBe(true);
  });
});

describe('the graph of world C (inheritance, cached semantic, transitive reads)', () => {
  const c = openMeta(`${WORLDS}/C/meta`);

  it('a line change reaches invoice totals through the backRef field, also for subclass overrides', () => {
    const fired = c.graph.dependantsOf('line@wc', ['sum']).map(show);
    expect(fired).toContain('line.sum[value] <- backRefCollection(invoice.invoice)');
    expect(c.graph.dependantsOf('line@wc', ['sum']).map((t) => `${short(t.target.class)}.${t.target.attribute}`).sort()).toEqual(['creditNote.total', 'invoice.maxLine', 'invoice.total']);
  });

  it('a change of a subclass object fires the triggers declared on its ancestors', () => {
    // person.invoiceTotal = sum($docs, total): total of any document, a creditNote included
    const fired = c.graph.dependantsOf('creditNote@wc', ['total']).map((t) => `${short(t.target.class)}.${t.target.attribute}`);
    expect(fired).toContain('person.invoiceTotal');
  });

  it('reads through non-cached formulas are followed to stored fields', () => {
    // invoice.summary = concat($lineCount, …, $total, …, $amountVat); lineCount = count($lines), amountVat = mul($amount, 1.2)
    expect(triggersFor(c.graph, 'invoice@wc', 'summary')).toEqual(
      ['doc.amount[value] <- self', 'invoice.total[value] <- self', 'line.invoice[link] <- backRefCollection(invoice.invoice)'].sort(),
    );
  });

  it('the cached semantic of act reads the display of its owner, i.e. the person semantic', () => {
    expect(triggersFor(c.graph, 'act@wc', '__semantic')).toContain('person.name[value] <- reference(act.owner)');
    expect(c.graph.targetsOf('act@wc').map((t) => t.attribute)).toContain('__semantic');
    expect(c.graph.targetsOf('invoice@wc').map((t) => t.attribute)).not.toContain('__semantic');
  });

  it('declared dependencies that formulas need are marked needed', () => {
    expect(c.graph.declared).toEqual([
      { class: 'doc@wc', path: 'owner', reaches: 'person@wc', needed: true },
      { class: 'line@wc', path: 'invoice', reaches: 'invoice@wc', needed: true },
    ]);
  });
});

describe('class-form aggregations and declared-but-unneeded paths', () => {
  const cls = (name: string, properties: unknown[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ name, key: ['id'], ...extra, properties: [{ name: 'id', type: 0 }, ...properties] });

  it('a class-form count is answered by scanning the owner class, narrowed by the filter tie', () => {
    const meta = openMetaTexts({
      'project.class.json': cls('project', [
        { name: 'code', type: 0 },
        { name: 'events', type: 6, cached: true, formula: { count: ['event', 'id', { obj: ['projectCode', '$code', 'done', false] }] } },
      ]),
      'event.class.json': cls('event', [{ name: 'projectCode', type: 0 }, { name: 'done', type: 10 }]),
    });
    expect(triggersFor(meta.graph, 'project', 'events')).toEqual(
      ['event.done[class] <- classScan(project code=projectCode)', 'event.id[class] <- classScan(project code=projectCode)', 'event.projectCode[class] <- classScan(project code=projectCode)', 'project.code[value] <- self'].sort(),
    );
  });

  it('reports a declared path no cached value needs, and an undeclared one', () => {
    const meta = openMetaTexts({
      'order.class.json': cls('order', [{ name: 'lines', type: 14, itemsClass: 'line', backRef: 'order' }, { name: 'n', type: 6, cached: true, formula: { count: ['$lines'] } }]),
      'line.class.json': cls('line', [{ name: 'order', type: 13, refClass: 'order' }, { name: 'product', type: 13, refClass: 'product' }], { cacheDependencies: ['product'] }),
      'product.class.json': cls('product', []),
    });
    const unneeded = meta.diagnostics.filter((d) => d.code === MetaCodes.unneededDependency);
    expect(unneeded).toMatchObject([{ className: 'line', pointer: '/cacheDependencies/0' }]);
    const undeclared = meta.diagnostics.filter((d) => d.code === MetaCodes.undeclaredDependency);
    expect(undeclared).toHaveLength(1);
    expect(undeclared[0]!.message).toContain('"order"');
  });
});

describe('cacheDependencies cycles', () => {
  const cls = (name: string, properties: unknown[], extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ name, key: ['id'], ...extra, properties: [{ name: 'id', type: 0 }, ...properties] });

  it('warns about a cycle between classes (ION recurses forever), not about a parent self-link', () => {
    const meta = openMetaTexts({
      'district.class.json': cls('district', [{ name: 'settlements', type: 14, itemsClass: 'settlement', backRef: 'district' }, { name: 'n', type: 6, cached: true, formula: { count: ['$settlements'] } }], { cacheDependencies: ['settlements'] }),
      'settlement.class.json': cls('settlement', [{ name: 'district', type: 13, refClass: 'district' }, { name: 'd', type: 0, cached: true, formula: { concat: ['$district.id'] } }], { cacheDependencies: ['district'] }),
      'node.class.json': cls('node', [{ name: 'parent', type: 13, refClass: 'node' }, { name: 'kids', type: 14, itemsClass: 'node', backRef: 'parent' }, { name: 'n', type: 6, cached: true, formula: { count: ['$kids'] } }], { cacheDependencies: ['parent'] }),
    });
    const cycles = meta.diagnostics.filter((d) => d.code === MetaCodes.dependencyCycle);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.message).toMatch(/district\.settlements → settlement\.district → district|settlement\.district → district\.settlements → settlement/);
  });
});

describe('self reads', () => {
  it('a cached formula reading its own stored value is not a trigger of itself (pm-gov-ru purpose.level)', () => {
    const pm = openMeta(`${FIXTURES}pm-gov-ru`, { namespace: 'pm-gov-ru' });
    const level = pm.graph.triggers.filter((t) => t.target.attribute === 'level' && t.target.class === 'purpose@pm-gov-ru');
    expect(level.length).toBeGreaterThan(0);
    expect(level.filter((t) => t.reverse.length === 0 && t.field === 'level')).toEqual([]);
    // but the levels of the sibling purposes are read: a sibling's change recomputes this one
    expect(level.map(show)).toContain('purpose.level[value] <- backRefCollection(purposeStrategic.strategic) < reference(purpose.strategic)');
  });
});

describe('targets match the conformance recompute', () => {
  const expected = JSON.parse(readFileSync(sharedPath('conformance/cached-expected.json'), 'utf8')) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;

  it.each(Object.keys(expected))('world %s: every class has exactly the cached values ION wrote', (world) => {
    const meta = openMeta(`${WORLDS}/${world}/meta`);
    for (const [cls, objects] of Object.entries(expected[world]!)) {
      const written = new Set(Object.values(objects).flatMap((o) => Object.keys(o)));
      expect(meta.graph.targetsOf(cls).map((t) => t.attribute).sort(), cls).toEqual([...written].sort());
    }
  });

  it('targetsOf lists them in evaluation order, overrides in place, semantic last', () => {
    const c = openMeta(`${WORLDS}/C/meta`);
    expect(c.graph.targetsOf('creditNote@wc').map((t) => `${short(t.class)}.${t.attribute}`)).toEqual([
      'creditNote.total', 'invoice.summary', 'invoice.maxLine', 'invoice.title', 'doc.kindLabel',
    ]);
    expect(c.graph.targetsOf('act@wc').map((t) => t.attribute)).toEqual(['signedText', 'title', 'kindLabel', '__semantic']);
  });
});

describe('lookup indexes', () => {
  it('lists the fields the pochtamt chain looks objects up by', () => {
    expect(telecom.graph.lookupIndexes()).toEqual(expect.arrayContaining([
      { collection: 'telecom-ru_svyaz', field: 'ops', array: true }, // ops → svyaz whose ops contain it
      { collection: 'telecom-ru_naselenniyPunkt', field: 'okato' }, // svyaz → the settlement keyed by its okato
      { collection: 'telecom-ru_municipalnieObrazovaniya', field: 'oktmo' },
      { collection: 'telecom-ru_pochtamt', field: 'id' },
      { collection: 'telecom-ru_pochtamt', field: 'raionObslu', array: true },
      { collection: 'telecom-ru_svyaz', field: 'okato' }, // naselenniyPunkt.name → svyaz whose okato references it
    ]));
  });
});

describe('round trips', () => {
  it('a path to the children and back to their parent is the changed object itself: nothing to declare', () => {
    const meta = openMetaTexts({
      'node.class.json': JSON.stringify({
        name: 'node', key: ['id'], properties: [
          { name: 'id', type: 0 }, { name: 'name', type: 0 },
          { name: 'parent', type: 13, refClass: 'node' },
          { name: 'kids', type: 14, itemsClass: 'node', backRef: 'parent' },
          { name: 'echo', type: 0, cached: true, formula: { merge: ['$kids', 'parent.name', null, 1, ','] } },
        ],
      }),
    });
    expect(triggersFor(meta.graph, 'node', 'echo')).toContain('node.name[value] <- reference(node.parent) < backRefCollection(node.parent)');
    expect(meta.graph.undeclared.filter((u) => u.fields.includes('name'))).toEqual([]);
    // the kids' own membership still needs a declaration: a kid re-pointing its parent changes the parent's echo
    expect(meta.graph.undeclared.map((u) => u.path)).toContain('parent');
  });
});

describe('selConditions', () => {
  it('the attributes a back-reference collection filters its items by are membership triggers', () => {
    const meta = openMetaTexts({
      'plan.class.json': JSON.stringify({ name: 'plan', key: ['id'], properties: [
        { name: 'id', type: 0 },
        { name: 'active', type: 14, itemsClass: 'task', backRef: 'plan', selConditions: [{ property: 'archive', operation: 0, value: 'false', nestedConditions: [] }] },
        { name: 'n', type: 6, cached: true, formula: { count: ['$active'] } },
      ] }),
      'task.class.json': JSON.stringify({ name: 'task', key: ['id'], properties: [{ name: 'id', type: 0 }, { name: 'plan', type: 13, refClass: 'plan' }, { name: 'archive', type: 10 }] }),
    });
    expect(triggersFor(meta.graph, 'plan', 'n')).toEqual(['task.archive[link] <- backRefCollection(plan.plan)', 'task.plan[link] <- backRefCollection(plan.plan)']);
  });
});
