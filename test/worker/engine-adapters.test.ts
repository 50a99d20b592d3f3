/**
 * The engine adapters on the demo data in an in-memory store: the class pager hands out every
 * object once (continuing its scan, or skipping to a cursor from elsewhere), the processor maps
 * refs both ways and returns the cascade, formula errors become per-object failures, the router
 * names changed objects and their dependants, and computed fields list the cached attributes.
 */
import { describe, expect, it } from 'vitest';
import { generateDemoData, SMALL_DEMO } from '../../src/demo/dataset.ts';
import { applyChanges, cachedTargets, createRecomputeContext, rebuildAll } from '../../src/recompute/index.ts';
import { openEmbeddedStore, type StoredDocument } from '../../src/store/index.ts';
import { changeRouter, classPager, computedFields, recomputeProcessor } from '../../src/worker/engine-adapters.ts';
import { demoMeta } from './helpers.ts';

async function demoContext(scale = SMALL_DEMO) {
  const meta = demoMeta();
  const store = openEmbeddedStore();
  for (const { collection, doc } of generateDemoData(scale)) await store.load(collection, [doc as StoredDocument]);
  return { meta, store, ctx: createRecomputeContext(meta, store) };
}

describe('engine adapters', () => {
  it('the class pager pages through a class once, and resumes from a cursor it did not hand out', async () => {
    const { meta, store, ctx } = await demoContext();
    const lines = meta.repository.get('orderLine@demo');
    const all: string[] = [];
    for await (const batch of store.scan(lines.storage.collection, [lines.canonicalName])) all.push(...batch.map((d) => `${d.order}-${d.num}`));
    const pager = classPager(ctx);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { ids: readonly string[]; next: string | null } = await pager('orderLine@demo', cursor, 2);
      expect(page.ids.length).toBeLessThanOrEqual(2);
      seen.push(...page.ids);
      cursor = page.next;
    } while (cursor !== null);
    expect(seen.length).toBe(all.length);
    expect(new Set(seen).size).toBe(seen.length);
    // A fresh pager (a refresh resumed after a crash) skips to the cursor.
    const resumed = await classPager(ctx)('orderLine@demo', '3', 1000);
    expect(resumed).toEqual({ ids: seen.slice(3), next: null });
    await expect(pager('nope', null, 10)).rejects.toThrow(/not in the meta/);
    await store.close();
  });

  it('the class pager closes the scans of abandoned refreshes it stops keeping', async () => {
    const { store, ctx } = await demoContext({ ...SMALL_DEMO, orders: 12 }); // 24 order lines
    let opened = 0;
    let closed = 0;
    const counting = new Proxy(store, {
      get(target, name, receiver) {
        if (name !== 'scan') return Reflect.get(target, name, receiver) as unknown;
        return async function* (...args: Parameters<typeof store.scan>) {
          opened++;
          try {
            yield* target.scan(...args);
          } finally {
            closed++;
          }
        };
      },
    });
    const pager = classPager({ ...ctx, store: counting });
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    // Twenty refreshes that each read one page of a different size and are never continued
    // (their jobs failed): at most 16 are kept open, the four oldest are closed.
    for (let i = 1; i <= 20; i++) expect((await pager('orderLine@demo', null, i)).next).toBe(String(i));
    await settle();
    expect([opened, closed]).toEqual([20, 4]);
    // The same page read again by a new refresh replaces the kept scan: the old one is closed.
    await pager('orderLine@demo', null, 20);
    await settle();
    expect([opened, closed]).toEqual([21, 5]);
    // Continuing a kept scan reuses it: nothing opened or closed.
    expect((await pager('orderLine@demo', '20', 1)).next).toBe('21');
    await settle();
    expect([opened, closed]).toEqual([21, 5]);
    await store.close();
  });

  it('the processor recomputes queue refs and returns the cascade as queue refs', async () => {
    const { store, ctx } = await demoContext();
    const processor = recomputeProcessor(ctx);
    const [line] = (await classPager(ctx)('orderLine@demo', null, 1)).ids;
    const result = await processor([{ className: 'orderLine@demo', id: line! }], { attempt: 1, reasons: ['change'] });
    expect(Array.isArray(result)).toBe(true);
    // The line's amount changed from nothing: its order reads it.
    expect(result).toEqual(expect.arrayContaining([expect.objectContaining({ className: 'order@demo' })]));
    await store.close();
  });

  it('the router names the changed object and its dependants; computed fields list cached attributes', async () => {
    const { meta, store, ctx } = await demoContext();
    await rebuildAll(ctx);
    const product = meta.repository.get('product@demo');
    const [doc] = await store.findByFilter(product.storage.collection, [product.canonicalName], {}, { limit: 1 });
    const sku = String(doc!.sku);
    const route = changeRouter(ctx, { oldValuesKnown: true });
    const refs = await route([
      { kind: 'change', collection: product.storage.collection, className: product.canonicalName, id: sku, op: 'update', changedFields: ['price'], oldValues: { price: 1 }, time: Date.now() },
    ]);
    const lines = await store.findByField(meta.repository.get('orderLine@demo').storage.collection, null, 'product', [sku]);
    expect(lines.length).toBeGreaterThan(0);
    expect(refs.filter((r) => r.className === 'orderLine@demo').length).toBe(lines.length);
    // The engine's own answer for the same change, as a cross-check.
    const direct = await applyChanges(ctx, [{ seq: 0, time: new Date(), collection: product.storage.collection, className: product.canonicalName, id: sku, op: 'update', changedFields: ['price'], oldValues: { price: 1 }, computed: false }], { cascade: 'return' });
    expect(refs.length).toBe(direct.cascade.length);

    const unidentified: number[] = [];
    const routeAll = changeRouter(ctx, { oldValuesKnown: false, onUnidentified: async (changes) => void unidentified.push(changes.length) });
    expect(await routeAll([{ kind: 'change', collection: product.storage.collection, className: null, id: null, op: 'delete', changedFields: [], oldValues: null, time: 0 }])).toEqual([]);
    expect(unidentified).toEqual([1]);

    const fields = computedFields(meta);
    const orderLine = meta.repository.get('orderLine@demo');
    expect([...fields.get('orderLine@demo')!]).toEqual(cachedTargets(orderLine).map((t) => t.attribute));
    expect(fields.get('orderLine@demo')!.has('amount')).toBe(true);
    await store.close();
  });
});
