import { describe, expect, it } from 'vitest';
import { loadMetaDir, loadMetaTexts } from '../../src/meta/load.ts';
import { PropertyType } from '../../src/meta/property-types.ts';
import { sharedPath } from '../shared-dir.ts';

const WORLDS = sharedPath('conformance/worlds');
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

const cls = (name: string, extra: Record<string, unknown> = {}, properties: unknown[] = []): string =>
  JSON.stringify({ name, key: ['id'], properties: [{ name: 'id', type: 0, orderNumber: 1 }, ...properties], ...extra });

describe('loading the conformance worlds', () => {
  it.each(['A', 'B', 'C'])('world %s loads with no problem', (world) => {
    const meta = loadMetaDir(`${WORLDS}/${world}/meta`);
    expect(meta.diagnostics).toEqual([]);
    expect(meta.repository.classes.size).toBeGreaterThan(5);
  });

  it('applies inheritance in world C: key inherited through key: [], overrides keep own formulas', () => {
    const { repository } = loadMetaDir(`${WORLDS}/C/meta`);
    const credit = repository.get('creditNote@wc');
    expect(credit.ancestors).toEqual(['invoice@wc', 'doc@wc']);
    expect(credit.key).toEqual(['id']);
    expect(credit.propertyByName.get('total')?.declaredIn).toBe('creditNote@wc');
    expect(credit.propertyByName.get('lines')?.declaredIn).toBe('invoice@wc');
    expect(credit.cacheDependencies).toEqual(['owner']);
    // semanticCached is not inherited; act has it, doc does not
    expect(repository.get('act@wc').semanticCached).toBe(true);
    expect(repository.get('doc@wc').semanticCached).toBe(false);
  });

  it('lays out storage per root class with descendants as discriminators', () => {
    const { repository } = loadMetaDir(`${WORLDS}/C/meta`);
    const doc = repository.get('doc@wc');
    expect(doc.storage.collection).toBe('wc_doc');
    expect([...doc.storage.discriminators].sort()).toEqual(['act@wc', 'creditNote@wc', 'doc@wc', 'invoice@wc']);
    const credit = repository.get('creditNote@wc');
    expect(credit.storage).toMatchObject({ rootClass: 'doc@wc', collection: 'wc_doc', discriminator: 'creditNote@wc' });
    expect(repository.get('line@wc').storage.collection).toBe('wc_line');
  });

  it('types the three kinds of collection and the back reference (world B)', () => {
    const { repository } = loadMetaDir(`${WORLDS}/B/meta`);
    expect(repository.get('hub@wb').propertyByName.get('districts')?.link).toMatchObject({ kind: 'backColl', target: 'district@wb', mirror: 'hubs', many: true });
    expect(repository.get('settlement@wb').propertyByName.get('station')?.link).toMatchObject({ kind: 'backReference', target: 'station@wb', backRef: 'settlement', many: false });
    expect(repository.get('station@wb').propertyByName.get('offices')?.link).toMatchObject({ kind: 'idArray', target: 'office@wb' });
  });
});

describe('loading the real classes of ion-spec §5.1', () => {
  it('telecom-ru loads under the namespace given for the directory', () => {
    const meta = loadMetaDir(`${FIXTURES}telecom-ru`, { namespace: 'telecom-ru' });
    expect(meta.diagnostics).toEqual([]);
    const pochtamt = meta.repository.get('pochtamt@telecom-ru');
    // orderNumber order: kolStatOps (40) and kolPerOps (50) come before terrObslu (60) although declared after
    expect(pochtamt.properties.map((p) => p.name)).toEqual(['id', 'name', 'schems', 'raionObslu', 'kolStatOps', 'kolPerOps', 'terrObslu', 'address', 'geo']);
    expect(pochtamt.storage.collection).toBe('telecom-ru_pochtamt');
    const svyaz = meta.repository.get('svyaz@telecom-ru');
    expect(svyaz.key).toEqual(['okato']);
    expect(svyaz.propertyByName.get('okato')?.type).toBe(PropertyType.REFERENCE);
  });

  it('pm-gov-ru: purpose inherits the attributes of purposeStrategic, ties keep declaration order', () => {
    const meta = loadMetaDir(`${FIXTURES}pm-gov-ru`, { namespace: 'pm-gov-ru' });
    expect(meta.diagnostics).toEqual([]);
    const purpose = meta.repository.get('purpose@pm-gov-ru');
    const names = purpose.properties.map((p) => p.name);
    // five attributes share orderNumber 40: the inherited ones in their declaration order, then own `level`
    expect(names.filter((n) => purpose.propertyByName.get(n)!.orderNumber === 40)).toEqual([
      'name', 'progressStrategPurpose', 'progressPurposeView', 'progressPurpose', 'sumLevelIndicator', 'progressPurposeInput', 'level',
    ]);
    expect(names.slice(0, 2)).toEqual(['id', 'maxLevel']); // 15, then the own 30
    expect(purpose.cacheDependencies).toEqual(['strategic']);
    expect(purpose.storage.collection).toBe('pm-gov-ru_purposeStrategic');
  });

  it('develop-and-test: namespace from the class, qualified itemsClass', () => {
    const meta = loadMetaDir(`${FIXTURES}develop-and-test`);
    expect(meta.diagnostics).toEqual([]);
    const city = meta.repository.get('reportCity@develop-and-test');
    expect(city.propertyByName.get('districts')?.link?.target).toBe('reportDistrict@develop-and-test');
  });
});

describe('namespaces', () => {
  it('takes the namespace from the file name when the class names none', () => {
    const meta = loadMetaTexts({ 'a@shop.class.json': cls('a'), 'b.class.json': cls('b', { namespace: 'crm' }), 'c.class.json': cls('c') }, { namespace: 'dflt' });
    expect([...meta.repository.classes.keys()].sort()).toEqual(['a@shop', 'b@crm', 'c@dflt']);
  });

  it('resolves bare references in the same namespace and qualified ones exactly', () => {
    const meta = loadMetaTexts({
      'a.class.json': cls('a', { namespace: 'x' }, [{ name: 'r', type: 13, refClass: 'b', orderNumber: 2 }, { name: 's', type: 13, refClass: 'b@y', orderNumber: 3 }]),
      'b.class.json': cls('b', { namespace: 'x' }),
      'b2.class.json': cls('b', { namespace: 'y' }),
    });
    expect(meta.diagnostics).toEqual([]);
    const a = meta.repository.get('a@x');
    expect(a.propertyByName.get('r')?.link?.target).toBe('b@x');
    expect(a.propertyByName.get('s')?.link?.target).toBe('b@y');
  });

  it('concatenates cacheDependencies ancestor-first and inherits the semantic', () => {
    const meta = loadMetaTexts({
      'a.class.json': cls('a', { cacheDependencies: ['p'], semantic: 'id', semanticCached: true }, [{ name: 'p', type: 13, refClass: 'a', orderNumber: 5 }]),
      'b.class.json': JSON.stringify({ name: 'b', ancestor: 'a', key: [], cacheDependencies: ['q'], properties: [{ name: 'q', type: 13, refClass: 'a', orderNumber: 0 }] }),
    });
    expect(meta.diagnostics).toEqual([]);
    const b = meta.repository.get('b');
    expect(b.cacheDependencies).toEqual(['p', 'q']);
    expect(b.semantic).toBe('id');
    expect(b.semanticCached).toBe(false);
    expect(b.properties.map((p) => p.name)).toEqual(['q', 'id', 'p']);
  });
});
