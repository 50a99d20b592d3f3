import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openMeta, bindFormulaFor, MetaCodes, type BoundFormula, type MetaModel } from '../../src/meta/index.ts';
import type { BoundPath } from '../../src/meta/bound.ts';
import { sharedPath } from '../shared-dir.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const telecom = openMeta(`${FIXTURES}telecom-ru`, { namespace: 'telecom-ru' });

const formulaOf = (meta: MetaModel, cls: string, attribute: string): BoundFormula =>
  meta.formulas.find((f) => f.owner === cls && f.attribute === attribute && f.role === 'formula')!;
/** `class.attribute[kind]` per hop, namespaces dropped. */
const hops = (p: BoundPath): string => p.hops.map((h) => `${h.owner.split('@')[0]}.${h.attribute}[${h.kind}]`).join(' > ');

describe('binding paths into typed hops', () => {
  it('binds the pochtamt chain of §1.5 hop by hop, with the class at each hop', () => {
    const f = formulaOf(telecom, 'pochtamt@telecom-ru', 'kolStatOps');
    const [collection, condition] = f.paths;
    expect(hops(collection!)).toBe(
      'pochtamt.raionObslu[backColl] > municipalnieObrazovaniya.oktmo_nasPunkta[backRefCollection] > naselenniyPunkt.svyaz[backReference] > svyaz.ops[idArray]',
    );
    expect(collection!.hops.map((h) => h.target)).toEqual(['municipalnieObrazovaniya@telecom-ru', 'naselenniyPunkt@telecom-ru', 'svyaz@telecom-ru', 'ops@telecom-ru']);
    // `&eq($gops, b)` is evaluated on each ops element
    expect(condition).toMatchObject({ origin: 'element', segments: ['raionObslu', 'oktmo_nasPunkta', 'svyaz', 'ops', 'gops'] });
    expect(condition!.hops.at(-1)).toMatchObject({ kind: 'attribute', owner: 'ops@telecom-ru', attribute: 'gops' });
  });

  it('binds the dotted attribute argument of merge against the element class', () => {
    const f = formulaOf(telecom, 'pochtamt@telecom-ru', 'terrObslu');
    const attr = f.paths.find((p) => p.origin === 'attributeArg')!;
    expect(hops(attr).split(' > ').slice(4)).toEqual(['ops.naselenniyPunkt[backColl]', 'svyaz.okato[reference]', 'naselenniyPunkt.name[attribute]']);
  });

  it('binds object-syntax formulas of mobile, one bound path per occurrence', () => {
    const f = formulaOf(telecom, 'mobile@telecom-ru', 'mobileStandartBeeline');
    expect(f.paths.map(hops)).toEqual([
      'mobile.mobileOperator[reference] > operators.name[attribute]',
      'mobile.mobileStandart[idArray]', // nempty($mobileStandart)
      'mobile.mobileStandart[idArray]', // merge's collection
      'mobile.mobileStandart[idArray] > mobileStandart.standart[attribute]',
    ]);
  });

  it('resolves class-form aggregations and the filter tying owner and class attributes', () => {
    const meta = openMeta(`${FIXTURES}pm-gov-ru`, { namespace: 'pm-gov-ru' });
    const formula = { count: ['purpose@pm-gov-ru', 'id', { obj: ['level', ['gt', { now: [] }], 'strategic', '$id'] }] };
    const { bound, diagnostics } = bindFormulaFor(meta.repository, 'purposeStrategic', formula, 'pm-gov-ru');
    expect(diagnostics).toEqual([]);
    expect(bound!.classReads).toEqual([
      expect.objectContaining({ fn: 'count', className: 'purpose@pm-gov-ru', attributes: ['id', 'level', 'strategic'], ties: [{ attribute: 'strategic', ownerAttribute: 'id' }] }),
    ]);
  });
});

describe('the corpus binds against the reproduced meta', () => {
  const rows = readFileSync(sharedPath('corpus/ion-formulas.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { repo: string; class: string; namespace: string | null; property: string; formula: unknown });
  const metas: Record<string, MetaModel> = {
    'iondv/telecom-ru': telecom,
    'iondv/pm-gov-ru': openMeta(`${FIXTURES}pm-gov-ru`, { namespace: 'pm-gov-ru' }),
    'iondv/develop-and-test': openMeta(`${FIXTURES}develop-and-test`),
  };
  // classes reproduced in full in ion-spec §5.1 (the others in the fixtures are condensed or stubs)
  const reproduced = new Set(['pochtamt', 'mobile', 'purposeStrategic', 'purpose', 'reportCity', 'calcAttr', 'calcLinkAttr']);

  it('every formula of a reproduced class binds with no error', () => {
    const mine = rows.filter((r) => reproduced.has(r.class));
    let checked = 0;
    for (const r of mine) {
      const { diagnostics } = bindFormulaFor(metas[r.repo]!.repository, r.class, r.formula, r.namespace || r.repo.split('/')[1]);
      expect(diagnostics.filter((d) => d.severity === 'error'), `${r.class}.${r.property}`).toEqual([]);
      checked++;
    }
    expect(checked).toBe(mine.length);
    expect(checked).toBeGreaterThan(30);
  });

  it('a formula of a class the fixtures do not hold gets an error naming the class', () => {
    const missing = rows.filter((r) => !metas[r.repo]!.repository.find(r.class, r.namespace || r.repo.split('/')[1]));
    expect(missing.length).toBeGreaterThan(100);
    for (const r of missing) {
      const { diagnostics } = bindFormulaFor(metas[r.repo]!.repository, r.class, r.formula, r.namespace || r.repo.split('/')[1]);
      expect(diagnostics).toEqual([expect.objectContaining({ code: MetaCodes.unknownClassInFormula, message: `class ${r.class} is not in the meta` })]);
    }
  });
});

describe('the conformance cases bind against their world', () => {
  const cases = ['cases.jsonl', 'bugs.jsonl'].flatMap((file) =>
    readFileSync(sharedPath(`conformance/${file}`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; world: string; class: string; formula: unknown }),
  );
  const worlds = new Map<string, MetaModel>();
  const world = (w: string): MetaModel => worlds.get(w) ?? worlds.set(w, openMeta(sharedPath(`conformance/worlds/${w}/meta`))).get(w)!;

  it('every case formula binds with no error; the only warnings are subclass-only attributes', () => {
    expect(cases.length).toBeGreaterThan(80);
    for (const c of cases) {
      const { bound, diagnostics } = bindFormulaFor(world(c.world).repository, c.class, c.formula);
      expect(diagnostics.filter((d) => d.code !== MetaCodes.subclassAttribute), c.id).toEqual([]);
      expect(bound, c.id).toBeDefined();
    }
  });
});
