/**
 * The objects waiting to be recomputed within one call: by class, processed class by class in
 * recompute order (lowest rank first, then name), objects in the order they were added. An object
 * recomputed too often in one call is a data cycle whose values never settle: it is dropped with
 * a warning instead of looping.
 */
import type { ClassOrder } from './class-order.ts';
import type { Dependant } from './dependants.ts';
import type { ObjectRef } from './types.ts';

/**
 * How many times one object may be recomputed in one call. A chain of objects of one class that
 * read each other (a parent link stored child-first) settles one level per round, so the cap
 * must exceed realistic data depth; a cycle in the data is stopped by it.
 */
export const MAX_VISITS = 64;

export class WorkQueue {
  private readonly pending = new Map<string, Map<string, string>>();
  private readonly visits = new Map<string, number>();

  constructor(private readonly order: ClassOrder) {}

  /** Adds objects (an object already waiting keeps its place). Returns those newly added. */
  add(items: Iterable<Dependant>): Dependant[] {
    const added: Dependant[] = [];
    for (const item of items) {
      const ids = this.pending.get(item.ref.class) ?? new Map<string, string>();
      this.pending.set(item.ref.class, ids);
      if (ids.has(item.ref.id)) continue;
      ids.set(item.ref.id, item.why);
      added.push(item);
    }
    return added;
  }

  get size(): number {
    let n = 0;
    for (const ids of this.pending.values()) n += ids.size;
    return n;
  }

  /**
   * The next batch: up to `limit` objects of the first class in recompute order, with the reason
   * each is there. Objects over their visit budget are returned in `dropped`.
   */
  next(limit: number): { className: string; items: Map<string, string>; dropped: ObjectRef[] } | undefined {
    const classes = [...this.pending.keys()].filter((c) => this.pending.get(c)!.size > 0).sort((a, b) => this.order.compare(a, b));
    const className = classes[0];
    if (className === undefined) return undefined;
    const ids = this.pending.get(className)!;
    const items = new Map<string, string>();
    const dropped: ObjectRef[] = [];
    for (const [id, why] of ids) {
      if (items.size >= limit) break;
      ids.delete(id);
      const key = `${className}\u0000${id}`;
      const visits = (this.visits.get(key) ?? 0) + 1;
      this.visits.set(key, visits);
      if (visits > MAX_VISITS) dropped.push({ class: className, id });
      else items.set(id, why);
    }
    if (ids.size === 0) this.pending.delete(className);
    return { className, items, dropped };
  }
}
