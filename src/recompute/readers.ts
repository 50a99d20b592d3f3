/**
 * The classes whose cached values read objects of a class: what to rebuild when a change of that
 * class arrives without enough detail to follow it (a MongoDB delete without a pre-image names
 * only the id; see docs/recompute.md).
 */
import type { MetaModel } from '../meta/index.ts';

export function readersOf(meta: MetaModel, className: string): string[] {
  const repo = meta.repository;
  const readers = new Set<string>();
  for (const t of meta.graph.triggers) {
    if (repo.related(t.class, className)) readers.add(t.target.class);
  }
  return [...readers].sort();
}
