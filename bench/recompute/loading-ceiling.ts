/**
 * The ceiling of the batched/ION-style ratio on this store, whatever the batched loader does:
 * the batched side can never cost less than evaluating the objects (the evaluator both sides
 * share) plus reading the documents it needs once each. Both are measured here on the same
 * objects — evaluation alone, on objects already loaded, and the store's cheapest read (a
 * sequential scan, pages of 500) of as many documents as the batched side reads — so that the
 * report can say whether a ratio target is reachable by better loading at all.
 */
import type { MetaModel } from '../../src/meta/index.ts';
import { LoadSession, type ObjectRef, type RecomputeContext } from '../../src/recompute/index.ts';
// Internals of the engine, imported read-only: the loading plan, the evaluator and the diff.
import { isChanged } from '../../src/recompute/diff.ts';
import { evaluateObjects } from '../../src/recompute/evaluate.ts';
import { loadPlan } from '../../src/recompute/load-plan.ts';
import type { StoredDocument, StorePort } from '../../src/store/index.ts';

/** A store wrapper that counts the documents the lookups return. */
export function documentCounter(store: StorePort): { store: StorePort; documents(): number; reset(): void } {
  let documents = 0;
  const counted = new Set(['findByField', 'findByArrayMember', 'findByFilter']);
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function' || !counted.has(String(name))) return value;
      return async (...args: unknown[]) => {
        const found = (await (value as (...a: unknown[]) => Promise<StoredDocument[]>).apply(target, args));
        documents += found.length;
        return found;
      };
    },
  });
  return { store: proxy, documents: () => documents, reset: () => { documents = 0; } };
}

/** Seconds to evaluate and diff `refs` (grouped by class, batches of `batchSize`) on objects loaded beforehand (loading not timed). */
export async function evaluationSeconds(ctx: RecomputeContext, meta: MetaModel, refs: readonly ObjectRef[], batchSize: number): Promise<number> {
  const byClass = new Map<string, string[]>();
  for (const ref of refs) {
    const ids = byClass.get(ref.class) ?? [];
    ids.push(ref.id);
    byClass.set(ref.class, ids);
  }
  let seconds = 0;
  let differing = 0;
  for (const [className, ids] of byClass) {
    const cls = meta.repository.get(className);
    const plan = loadPlan(meta, cls);
    for (let i = 0; i < ids.length; i += batchSize) {
      const session = new LoadSession(ctx);
      const objects = [...(await session.loadObjects(cls, ids.slice(i, i + batchSize))).values()];
      await session.preload(objects, plan);
      const start = performance.now();
      for (const { object, values } of await evaluateObjects(session, objects)) {
        for (const [attribute, value] of values) if (isChanged(object.doc, attribute, value)) differing++;
      }
      seconds += (performance.now() - start) / 1000;
    }
  }
  if (differing !== 0) throw new Error(`evaluation alone found ${differing} values to change on a settled store`);
  return seconds;
}

/** Seconds to read `documents` documents through the store's sequential scan (pages of 500), from the largest collection. */
export async function scanSeconds(store: StorePort, collection: string, documents: number): Promise<number> {
  let read = 0;
  const start = performance.now();
  while (read < documents) {
    const before = read;
    for await (const page of store.scan(collection, null, { batchSize: 500 })) {
      read += page.length;
      if (read >= documents) break;
    }
    if (read === before) throw new Error(`collection ${collection} is empty`);
  }
  return (performance.now() - start) / 1000;
}
