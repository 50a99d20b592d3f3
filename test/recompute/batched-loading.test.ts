/**
 * Batched loading: for a batch of objects each hop of each path is one store query for the whole
 * batch, so the number of queries does not grow with the batch. World B's hubs read
 * `districts.settlements.station.offices` (backColl → backRef collection → back reference → id
 * array): 1 query for the hubs + 4 hops, whatever the number of hubs.
 */
import { describe, expect, it } from 'vitest';
import type { MetaModel } from '../../src/meta/index.ts';
import { createRecomputeContext, evaluateFormula, recomputeObjects } from '../../src/recompute/index.ts';
import { openEmbeddedStore, type StoredDocument } from '../../src/store/index.ts';
import { allDocuments, countingStore, worldStore } from './helpers.ts';

/** `copies` copies of a world's documents, ids and link values suffixed per copy. */
function scaled(meta: MetaModel, docs: readonly StoredDocument[], copies: number): StoredDocument[] {
  const out: StoredDocument[] = [];
  for (let k = 0; k < copies; k++) {
    for (const doc of docs) {
      const cls = meta.repository.get(doc._class as string);
      const copy: StoredDocument = { ...doc };
      const suffix = (v: unknown) => (typeof v === 'string' ? `${v}-${k}` : v);
      for (const name of cls.key) copy[name] = suffix(doc[name]);
      for (const p of cls.properties) {
        if (!p.link || !(p.name in doc)) continue;
        copy[p.name] = Array.isArray(doc[p.name]) ? (doc[p.name] as unknown[]).map(suffix) : suffix(doc[p.name]);
      }
      out.push(copy);
    }
  }
  return out;
}

async function scaledWorldB(copies: number) {
  const { meta, store: source } = await worldStore('B');
  const docs = scaled(meta, await allDocuments(source), copies);
  const store = openEmbeddedStore();
  for (const doc of docs) await store.load(meta.repository.get(doc._class as string).storage.collection, [doc]);
  return { meta, store, docs };
}

describe('batched loading', () => {
  it('recomputes 1 hub and 40 hubs with the same number of queries: one per hop', async () => {
    const { meta, store, docs } = await scaledWorldB(20);
    const counting = countingStore(store);
    const ctx = createRecomputeContext(meta, counting.store, { batchSize: 1000 });
    const hubs = docs.filter((d) => d._class === 'hub@wb').map((d) => ({ class: 'hub@wb', id: d.id as string }));
    expect(hubs.length).toBe(40);

    await recomputeObjects(ctx, hubs.slice(0, 1), { cascade: 'none' });
    const one = counting.reads();
    counting.reset();
    const result = await recomputeObjects(ctx, hubs, { cascade: 'none' });
    expect(counting.reads()).toBe(one);
    expect(one).toBe(5); // the hubs, districts, settlements, station, offices
    expect(counting.counts.bulkSet).toBe(1);
    expect(result.objects).toBe(40);
    expect(result.errors).toEqual([]);
  });

  it('answers a class-form aggregation with one query per distinct filter per batch', async () => {
    const { meta, store } = await worldStore('B');
    const counting = countingStore(store);
    const ctx = createRecomputeContext(meta, counting.store);
    counting.reset();
    const value = await evaluateFormula(ctx, { class: 'office@wb', id: 'so1' }, {
      add: [{ count: ['office@wb', 'id', { obj: ['kind', 'b'] }] }, { count: ['office@wb', 'id', { obj: ['kind', 'b'] }] }, { sum: ['office@wb', 'staff'] }],
    });
    // so1 and so3 are of kind b; staff 4 + 1 + 9 + 25 = 39.
    expect(value.value).toBe(2 + 2 + 39);
    expect(counting.counts.aggregate).toBe(2);
  });
});

describe('ION-style loading, for comparison', () => {
  it("loading: 'per-object' gives the same values with queries per object", async () => {
    const { meta, store, docs } = await scaledWorldB(5);
    const counting = countingStore(store);
    const hubs = docs.filter((d) => d._class === 'hub@wb').map((d) => ({ class: 'hub@wb', id: d.id as string }));
    const perObject = await recomputeObjects(createRecomputeContext(meta, counting.store, { loading: 'per-object' }), hubs, { cascade: 'none' });
    const ionQueries = counting.reads();
    const { store: fresh } = await scaledWorldB(5);
    const batched = await recomputeObjects(createRecomputeContext(meta, fresh), hubs, { cascade: 'none' });
    expect(perObject.changedFields).toEqual(batched.changedFields);
    // 10 hubs: the hubs, then every hop once per hub (ION even queries once per linked object).
    expect(ionQueries).toBe(1 + 4 * hubs.length);
  });
});
