/**
 * ION-style loading, as `refreshCaches` does it (ion-spec §4.2), for comparison with the
 * engine's batched loading: objects are fetched a page at a time (ION's recache job pages by
 * 100), then for EACH object every hop of every path its cached formulas read is one store query
 * (for a collection hop: one query per object reached at that level, as ION's enrichment asks
 * each item for its own links). The formulas evaluated are the engine's own, on the engine's
 * object graph, so the only difference measured is the loading strategy.
 *
 * Writes are left out on purpose (both sides diff against the stored values and write only what
 * changed): ION also sends one update per object, which would only widen the gap.
 */
import type { ClassMeta, MetaModel } from '../../src/meta/index.ts';
import { LoadSession, type ObjectRef, type RecomputeContext } from '../../src/recompute/index.ts';
// Internals of the engine, imported read-only: the loading plan and the evaluator.
import { isChanged } from '../../src/recompute/diff.ts';
import { evaluateObjects } from '../../src/recompute/evaluate.ts';
import { loadPlan } from '../../src/recompute/load-plan.ts';
import type { LoadedObject } from '../../src/recompute/loaded-object.ts';
import { pathTree, type PathNode } from '../../src/recompute/session.ts';

/** ION's recache page size. */
const PAGE = 100;

export interface IonStyleResult {
  /** Objects evaluated. */
  readonly objects: number;
  /** Cached values that differ from the stored ones (after a rebuild: 0). */
  readonly differing: number;
  /** Computed values, `class\0id\0attribute` → value, for comparison. */
  readonly values: Map<string, unknown>;
}

async function enrich(session: LoadSession, object: LoadedObject, node: PathNode): Promise<void> {
  for (const [segment, child] of node.children) {
    const reached = await session.loadLinks([object], segment);
    if (child.children.size === 0) continue;
    for (const next of reached) await enrich(session, next, child);
  }
}

/** Evaluates the cached values of `refs` (grouped by class, in the order given) the ION way. */
export async function ionStyleRecompute(ctx: RecomputeContext, meta: MetaModel, refs: readonly ObjectRef[]): Promise<IonStyleResult> {
  const byClass = new Map<string, string[]>();
  for (const ref of refs) {
    const ids = byClass.get(ref.class) ?? [];
    ids.push(ref.id);
    byClass.set(ref.class, ids);
  }
  const values = new Map<string, unknown>();
  let objects = 0;
  let differing = 0;
  for (const [className, ids] of byClass) {
    const cls: ClassMeta = meta.repository.get(className);
    const tree = pathTree(loadPlan(meta, cls));
    for (let i = 0; i < ids.length; i += PAGE) {
      const page = await new LoadSession(ctx).loadObjects(cls, ids.slice(i, i + PAGE));
      for (const pageObject of page.values()) {
        // A fresh session per object: ION keeps nothing between items.
        const session = new LoadSession(ctx);
        const object = session.adopt(pageObject.doc, cls)!;
        await enrich(session, object, tree);
        const [evaluated] = await evaluateObjects(session, [object]);
        objects++;
        for (const [attribute, value] of evaluated!.values) {
          values.set(`${className}\u0000${object.id}\u0000${attribute}`, value);
          if (isChanged(object.doc, attribute, value)) differing++;
        }
      }
    }
  }
  return { objects, differing, values };
}
