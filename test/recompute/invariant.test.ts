/**
 * The invariant: for any sequence of inserts, updates and deletes, the stored state after
 * incremental processing (journal → applyChanges → cascades) equals a from-scratch rebuild of the
 * same final data. Checked with random change sequences on the conformance worlds and on the demo
 * application of `meta/` (random data from its meta); a failure prints the shrunk sequence.
 */
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../../src/formula/value-encoding.ts';
import type { MetaModel } from '../../src/meta/index.ts';
import { objectId } from '../../src/meta/index.ts';
import { applyChanges, cachedTargets, createRecomputeContext, rebuildAll } from '../../src/recompute/index.ts';
import { openEmbeddedStore, type StoredDocument, type StorePort } from '../../src/store/index.ts';
import { allDocuments, DEMO_META, metaOf, worldStore } from './helpers.ts';
import { stressMeta } from './fixtures/stress-meta.ts';
import { applyOp, interpret, opSeed, resetIds, type Op, type OpSeed } from './random-changes.ts';

const NOW = new Date('2024-03-01T10:00:00Z');

/** Cached values of every object, by class/id, encoded (a missing field reads as null). */
function cachedState(meta: MetaModel, docs: readonly StoredDocument[]): Record<string, Record<string, unknown>> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const cls = meta.repository.classes.get(doc._class as string);
    if (!cls) continue;
    const values: Record<string, unknown> = {};
    for (const t of cachedTargets(cls)) values[t.attribute] = encodeValue(doc[t.attribute] ?? null);
    state[`${cls.canonicalName}/${objectId(cls, doc)}`] = values;
  }
  return state;
}

/** The same documents without cached values, rebuilt from scratch on a new store. */
async function rebuiltState(meta: MetaModel, docs: readonly StoredDocument[]): Promise<Record<string, Record<string, unknown>>> {
  const store = openEmbeddedStore();
  for (const doc of docs) {
    const cls = meta.repository.get(doc._class as string);
    const plain = { ...doc };
    for (const t of cachedTargets(cls)) delete plain[t.attribute];
    await store.load(cls.storage.collection, [plain]);
  }
  const ctx = createRecomputeContext(meta, store, { now: NOW });
  await rebuildAll(ctx);
  return cachedState(meta, await allDocuments(store));
}

async function checkSequence(meta: MetaModel, store: StorePort, seeds: readonly OpSeed[], eachStep: boolean): Promise<void> {
  const ctx = createRecomputeContext(meta, store, { now: NOW, batchSize: 3 });
  await rebuildAll(ctx);
  let seq = await store.headSequence();
  const ops: Op[] = [];
  resetIds();
  const process = async () => {
    const records = await store.readChanges(seq, 100000);
    if (records.length > 0) seq = records[records.length - 1]!.seq;
    const result = await applyChanges(ctx, records);
    expect(result.errors).toEqual([]);
  };
  for (const seed of seeds) {
    const op = interpret(meta, await allDocuments(store), seed);
    if (!op) continue;
    ops.push(op);
    await applyOp(meta, store, op);
    if (eachStep) await process();
  }
  if (!eachStep) await process();
  const docs = await allDocuments(store);
  const incremental = cachedState(meta, docs);
  const rebuilt = await rebuiltState(meta, docs);
  const differences = Object.keys(rebuilt).filter((k) => JSON.stringify(incremental[k]) !== JSON.stringify(rebuilt[k]));
  if (differences.length > 0) {
    const lines = differences.map((k) => `  ${k}: incremental ${JSON.stringify(incremental[k])} ≠ rebuild ${JSON.stringify(rebuilt[k])}`);
    throw new Error(`incremental ≠ rebuild (${eachStep ? 'processed after each change' : 'processed at the end'}) after:\n${ops.map((o) => `  ${JSON.stringify(o)}`).join('\n')}\n${lines.join('\n')}`);
  }
}

/** Runs per property; CI keeps the default short, `RECOMPUTE_RUNS=500` searches harder. */
const scale = Number(process.env.RECOMPUTE_RUNS ?? 0);
const runs = (n: number) => ({ numRuns: scale > 0 ? scale : n });

describe.each(['A', 'B', 'C'])('invariant on world %s', (world) => {
  it('incremental processing equals a rebuild, after each change or all at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opSeed, { minLength: 1, maxLength: 8 }), fc.boolean(), async (seeds, eachStep) => {
        const { meta, store } = await worldStore(world);
        await checkSequence(meta, store, seeds, eachStep);
      }),
      runs(30),
    );
  }, 600_000);
});

const demoMetas: Record<string, () => MetaModel> = {
  'meta/orders': () => metaOf(join(DEMO_META, 'orders')),
  'meta/telecom': () => metaOf(join(DEMO_META, 'telecom')),
  'the stress meta (every link kind, display values, class-form reads)': stressMeta,
};

describe.each(Object.keys(demoMetas))('invariant on %s', (name) => {
  it('incremental processing equals a rebuild on random data', async () => {
    const meta = demoMetas[name]!();
    await fc.assert(
      fc.asyncProperty(
        fc.array(opSeed.map((s) => ({ ...s, kind: 'insert' as const })), { minLength: 4, maxLength: 16 }),
        fc.array(opSeed, { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (setup, seeds, eachStep) => {
          const store = openEmbeddedStore();
          await checkSequence(meta, store, [...setup, ...seeds], eachStep);
        },
      ),
      runs(20),
    );
  }, 600_000);
});
