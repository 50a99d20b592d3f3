/**
 * Batched loading against ION-style loading on the same objects of the rebuilt store: a sample
 * of N objects taken from every class with cached values in proportion to its size (the mix a
 * rebuild sees), recomputed by the engine (`recomputeObjects`, batches of `batchSize`, no
 * cascade) and by the ION-style loader. Both diff against the values the rebuild stored; both
 * must find nothing to change, and the ION-style loader must have produced every value.
 */
import { objectId, type MetaModel } from '../../src/meta/index.ts';
import { cachedTargets, classOrderOf, createRecomputeContext, recomputeObjects, type ObjectRef } from '../../src/recompute/index.ts';
import { countingStore, type StorePort } from '../../src/store/index.ts';
import { ionStyleRecompute, type IonStyleResult } from './ion-style.ts';
import { documentCounter, evaluationSeconds, scanSeconds } from './loading-ceiling.ts';

export interface ComparisonResult {
  readonly objects: number;
  /** Per class, objects sampled. */
  readonly sample: ReadonlyMap<string, number>;
  readonly batchedSeconds: number;
  readonly ionSeconds: number;
  readonly batchedQueries: number;
  readonly ionQueries: number;
  /** The engine's own per-object loading mode (`loading: 'per-object'`, lazy), as a cross-check. */
  readonly perObjectSeconds: number;
  readonly perObjectQueries: number;
  readonly perObjectChanges: number;
  /** Values the engine would change / the ION-style loader found different from the stored ones (both 0 when they agree). */
  readonly batchedChanges: number;
  readonly ionDiffering: number;
  readonly batchedErrors: number;
  /** Values the ION-style loader produced, and how many it should have (objects × cached targets). */
  readonly ionValues: number;
  readonly expectedValues: number;
  /** Documents the batched side reads (one run). */
  readonly batchedDocuments: number;
  /** Evaluation and diff alone, on objects already loaded (best of two). */
  readonly evaluationSeconds: number;
  /** Reading `batchedDocuments` documents by sequential scan, the store's cheapest read (best of two). */
  readonly scanSeconds: number;
}

/** The first objects of each class with cached values, in proportion to the class's size. */
async function sampleRefs(store: StorePort, meta: MetaModel, sizes: ReadonlyMap<string, number>, n: number): Promise<ObjectRef[]> {
  const classes = classOrderOf(meta).classes;
  const total = classes.reduce((sum, c) => sum + (sizes.get(c) ?? 0), 0);
  const refs: ObjectRef[] = [];
  for (const className of classes) {
    const cls = meta.repository.get(className);
    const want = Math.max(1, Math.round((n * (sizes.get(className) ?? 0)) / total));
    let taken = 0;
    for await (const docs of store.scan(cls.storage.collection, [cls.storage.discriminator], { batchSize: Math.min(want, 1000) })) {
      for (const doc of docs.slice(0, want - taken)) refs.push({ class: className, id: objectId(cls, doc) ?? '' });
      taken = Math.min(want, taken + docs.length);
      if (taken >= want) break;
    }
  }
  return refs;
}

export async function compareLoading(store: StorePort, meta: MetaModel, sizes: ReadonlyMap<string, number>, n: number, batchSize: number): Promise<ComparisonResult> {
  const refs = await sampleRefs(store, meta, sizes, n);
  const sample = new Map<string, number>();
  for (const r of refs) sample.set(r.class, (sample.get(r.class) ?? 0) + 1);
  const counted = countingStore(store);
  const documents = documentCounter(counted.store);
  const ctx = createRecomputeContext(meta, documents.store, { journal: false, batchSize });

  // Best of two rounds, interleaved so that a noisy neighbour slows both sides alike; the first
  // batched run warms the JIT up. Queries are counted on one run of each.
  let batched = await recomputeObjects(ctx, refs, { cascade: 'none' });
  let batchedSeconds = Infinity;
  let batchedQueries = 0;
  let ionSeconds = Infinity;
  let ionQueries = 0;
  let ion: IonStyleResult | undefined;
  let batchedDocuments = 0;
  for (let round = 0; round < 2; round++) {
    // Two batched runs per round: the second does not pay for the other side's garbage.
    for (let twice = 0; twice < 2; twice++) {
      counted.reset();
      documents.reset();
      const start = performance.now();
      batched = await recomputeObjects(ctx, refs, { cascade: 'none' });
      batchedSeconds = Math.min(batchedSeconds, (performance.now() - start) / 1000);
      batchedQueries = counted.reads();
    }
    if (round === 0) batchedDocuments = documents.documents();
    counted.reset();
    const start = performance.now();
    ion = await ionStyleRecompute(ctx, meta, refs);
    ionSeconds = Math.min(ionSeconds, (performance.now() - start) / 1000);
    ionQueries = counted.reads();
  }

  counted.reset();
  const perObjectCtx = createRecomputeContext(meta, counted.store, { journal: false, batchSize, loading: 'per-object' });
  const perObjectStart = performance.now();
  const perObject = await recomputeObjects(perObjectCtx, refs, { cascade: 'none' });
  const perObjectSeconds = (performance.now() - perObjectStart) / 1000;
  const perObjectQueries = counted.reads();

  // The ceiling of the ratio for any loading strategy (loading-ceiling.ts).
  const largest = [...sizes].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const largestCollection = meta.repository.get(largest).storage.collection;
  let evaluation = Infinity;
  let scan = Infinity;
  for (let round = 0; round < 2; round++) {
    evaluation = Math.min(evaluation, await evaluationSeconds(ctx, meta, refs, batchSize));
    scan = Math.min(scan, await scanSeconds(store, largestCollection, batchedDocuments));
  }

  let expectedValues = 0;
  for (const r of refs) expectedValues += cachedTargets(meta.repository.get(r.class)).length;
  return {
    objects: refs.length, sample, batchedSeconds, ionSeconds, batchedQueries, ionQueries,
    perObjectSeconds, perObjectQueries, perObjectChanges: perObject.changedFields.length,
    batchedChanges: batched.changedFields.length, ionDiffering: ion!.differing, batchedErrors: batched.errors.length,
    ionValues: ion!.values.size, expectedValues,
    batchedDocuments, evaluationSeconds: evaluation, scanSeconds: scan,
  };
}
