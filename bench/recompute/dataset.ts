/**
 * The benchmark's data: the demo application's dataset scaled to N objects, bulk-loaded into an
 * embedded store file (unjournaled, as an import is), with the indexes a deployment has — the key
 * of every class (ION creates those) and what `recalc init-indexes` adds (the fields the reverse
 * steps and the back-reference collections look objects up by).
 */
import type { MetaModel } from '../../src/meta/index.ts';
import { generateDemoData, scaleFor, type DemoScale } from '../../src/demo/dataset.ts';
import { createLookupIndexes, type IndexRequest, type StoredDocument, type StorePort } from '../../src/store/index.ts';

/** Every index the benchmark's store gets, each collection and field once. */
export function benchIndexes(meta: MetaModel): IndexRequest[] {
  const found = new Map<string, IndexRequest>();
  const add = (request: IndexRequest): void => {
    const key = `${request.collection}\u0000${request.field}`;
    if (!found.has(key)) found.set(key, request);
  };
  for (const cls of meta.repository.list()) {
    if (cls.key.length === 1) add({ collection: cls.storage.collection, field: cls.key[0]! });
    for (const property of cls.properties) {
      const link = property.link;
      // A back-reference collection is loaded by the target's `backRef` field.
      if (link?.backRef && link.target) add({ collection: meta.repository.get(link.target).storage.collection, field: link.backRef });
    }
  }
  for (const index of meta.graph.lookupIndexes()) add(index);
  return [...found.values()];
}

export interface LoadedData {
  readonly scale: DemoScale;
  /** Documents per collection. */
  readonly counts: ReadonlyMap<string, number>;
  /** Documents per class (`_class`). */
  readonly classes: ReadonlyMap<string, number>;
  readonly total: number;
  readonly loadSeconds: number;
  readonly indexSeconds: number;
}

/**
 * Streams the demo dataset of about `objects` documents into `store` in batches (memory stays
 * flat), then creates the indexes (after the load: building an index once is cheaper than
 * maintaining it row by row).
 */
export async function loadDemoData(store: StorePort, meta: MetaModel, objects: number, batchSize = 10_000): Promise<LoadedData> {
  const scale = scaleFor(objects);
  const counts = new Map<string, number>();
  const classes = new Map<string, number>();
  const pending = new Map<string, StoredDocument[]>();
  const start = performance.now();
  for (const { collection, doc } of generateDemoData(scale)) {
    let batch = pending.get(collection);
    if (!batch) pending.set(collection, (batch = []));
    batch.push(doc as StoredDocument);
    counts.set(collection, (counts.get(collection) ?? 0) + 1);
    classes.set(doc._class as string, (classes.get(doc._class as string) ?? 0) + 1);
    if (batch.length >= batchSize) {
      await store.load(collection, batch);
      pending.set(collection, []);
    }
  }
  for (const [collection, batch] of pending) if (batch.length > 0) await store.load(collection, batch);
  const loaded = performance.now();
  await createLookupIndexes(store, benchIndexes(meta));
  const indexed = performance.now();
  let total = 0;
  for (const n of counts.values()) total += n;
  return { scale, counts, classes, total, loadSeconds: (loaded - start) / 1000, indexSeconds: (indexed - loaded) / 1000 };
}
