/**
 * Shared helpers of the recompute tests: conformance worlds on an embedded `:memory:` store,
 * reading documents back, and a store proxy that counts queries.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openMeta, openMetaTexts, type MetaModel } from '../../src/meta/index.ts';
import { createRecomputeContext, type RecomputeOptions } from '../../src/recompute/index.ts';
import type { RecomputeContext } from '../../src/recompute/types.ts';
import { openEmbeddedStore, importPath, type StoredDocument, type StorePort } from '../../src/store/index.ts';
import { CONFORMANCE_DIR as CONFORMANCE } from '../conformance/world.ts';

// The conformance material and its case type are shared with the formula tests (shared/ beside
// the repository, or ION_SHARED_DIR).
export { CONFORMANCE_DIR as CONFORMANCE, readCases, type ConformanceCase } from '../conformance/world.ts';

export const DEMO_META = join(dirname(fileURLToPath(import.meta.url)), '../../meta');

const metas = new Map<string, MetaModel>();

/** The meta model of a directory, loaded once per test file. */
export function metaOf(dir: string): MetaModel {
  let meta = metas.get(dir);
  if (!meta) metas.set(dir, (meta = openMeta(dir)));
  return meta;
}

export function worldMeta(world: string): MetaModel {
  return metaOf(join(CONFORMANCE, 'worlds', world, 'meta'));
}

/** A fresh embedded store holding a world's `data.json` (no journal: as ION's import). */
export async function worldStore(world: string): Promise<{ meta: MetaModel; store: StorePort }> {
  const meta = worldMeta(world);
  const store = openEmbeddedStore();
  await importPath(store, join(CONFORMANCE, 'worlds', world, 'data.json'), {
    collectionOf: (doc) => meta.repository.get(doc._class as string).storage.collection,
  });
  return { meta, store };
}

export async function worldContext(world: string, options: RecomputeOptions = {}): Promise<RecomputeContext> {
  const { meta, store } = await worldStore(world);
  return createRecomputeContext(meta, store, options);
}

/** Every document of every collection, in storage order. */
export async function allDocuments(store: StorePort): Promise<StoredDocument[]> {
  const out: StoredDocument[] = [];
  for (const collection of await store.listCollections()) {
    for await (const batch of store.scan(collection, null)) out.push(...batch);
  }
  return out;
}

/** A store that counts the queries it answers (reads, per method). */
export function countingStore(store: StorePort): { store: StorePort; counts: Record<string, number>; reset(): void; reads(): number } {
  const counts: Record<string, number> = {};
  const counted = new Set(['findByField', 'findByArrayMember', 'aggregate', 'scan', 'bulkSet']);
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof name !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (counted.has(name)) counts[name] = (counts[name] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: proxy,
    counts,
    reset: () => { for (const k of Object.keys(counts)) delete counts[k]; },
    reads: () => (counts.findByField ?? 0) + (counts.findByArrayMember ?? 0) + (counts.aggregate ?? 0) + (counts.scan ?? 0),
  };
}

/** A meta model from compact class definitions (the minimal ION class fields filled in). */
export function metaFromClasses(classes: readonly Record<string, unknown>[]): MetaModel {
  const texts: Record<string, string> = {};
  for (const c of classes) {
    const props = (c.properties as Record<string, unknown>[]).map((p, i) => ({ orderNumber: (i + 1) * 10, caption: p.name, ...p }));
    texts[`${c.name as string}.class.json`] = JSON.stringify({ namespace: 't', key: ['id'], caption: c.name, semantic: '', ...c, properties: props });
  }
  return openMetaTexts(texts);
}

/** A context on a fresh `:memory:` store loaded with `docs` (no journal). */
export async function contextWith(meta: MetaModel, docs: readonly StoredDocument[], options: RecomputeOptions = {}): Promise<RecomputeContext> {
  const store = openEmbeddedStore();
  for (const doc of docs) await store.load(meta.repository.get(doc._class as string).storage.collection, [doc]);
  return createRecomputeContext(meta, store, options);
}

/** One document by class and id. */
export async function docOf(ctx: RecomputeContext, className: string, id: string): Promise<StoredDocument | undefined> {
  const cls = ctx.meta.repository.get(className);
  return (await ctx.store.findByField(cls.storage.collection, null, cls.key[0]!, [id]))[0];
}
