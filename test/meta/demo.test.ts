import { describe, expect, it } from 'vitest';
import { openMeta, MetaCodes } from '../../src/meta/index.ts';

const demo = openMeta(new URL('../../meta/', import.meta.url).pathname);
const cls = (name: string) => demo.repository.get(`${name}@demo`);
const targets = (trigger: ReturnType<typeof demo.graph.dependantsOf>): string[] =>
  trigger.map((t) => `${t.target.class.split('@')[0]}.${t.target.attribute}`).sort();

describe('the bundled demo application (meta/)', () => {
  it('loads with no error and exactly one warning: the deliberately incomplete cacheDependencies of operator', () => {
    expect(demo.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(demo.diagnostics).toHaveLength(1);
    expect(demo.diagnostics[0]).toMatchObject({ code: MetaCodes.undeclaredDependency, className: 'operator@demo' });
    expect(demo.diagnostics[0]!.message).toContain('"services.station"');
  });

  it('uses inheritance, a semanticCached class and every kind of link', () => {
    expect(cls('operator').ancestors).toEqual(['organization@demo']);
    expect(cls('postOffice').storage.collection).toBe('demo_organization');
    expect(cls('branch').semanticCached).toBe(true);
    const kinds = new Set(demo.repository.list().flatMap((c) => c.properties.map((p) => p.link?.kind)));
    for (const kind of ['reference', 'backReference', 'idArray', 'backRefCollection', 'backColl']) expect(kinds).toContain(kind);
    expect(cls('order').key).toEqual(['number']);
  });

  it('order tracking: a line change recomputes its order totals, a price change the line amounts', () => {
    // summary reads the stored lineCount and total of its own order: it follows their change, not the line's
    expect(targets(demo.graph.dependantsOf('orderLine@demo', ['qty']))).toEqual(['order.itemCount', 'orderLine.amount']);
    expect(targets(demo.graph.dependantsOf('orderLine@demo', ['amount']))).toEqual(['order.total']);
    expect(targets(demo.graph.dependantsOf('order@demo', ['total']))).toEqual(['order.summary']);
    expect(targets(demo.graph.dependantsOf('product@demo', ['price']))).toEqual(['orderLine.amount']);
    expect(demo.graph.declared.every((d) => d.needed)).toBe(true);
  });

  it('the pochtamt-style chain: a branch kind change reaches the post offices', () => {
    expect(targets(demo.graph.dependantsOf('branch@demo', ['kind']))).toEqual(['postOffice.mobileCount', 'postOffice.mobileRoutes', 'postOffice.stationaryCount']);
  });
});
