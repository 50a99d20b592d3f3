/**
 * The objects waiting to be recomputed within one call: by class, processed class by class in
 * recompute order (lowest rank first, then name), objects in the order they were added. An object
 * recomputed too often in one call is a data cycle whose values never settle: it is dropped with
 * a warning instead of looping.
 */
import type { ClassOrder } from './class-order.ts';
import type { Dependant, FoundDocument } from './dependants.ts';
import type { ObjectRef } from './types.ts';

/**
 * How many times one object may be recomputed in one call. A chain of objects of one class that
 * read each other (a parent link stored child-first) settles one level per round, so the cap
 * must exceed realistic data depth; a cycle in the data is stopped by it.
 */
export const MAX_VISITS = 64;

/** The waiting objects of one class: ids in arrival order (a read position, no deletes), why each is there, documents found for them. */
interface ClassLine {
  readonly ids: string[];
  head: number;
  readonly why: Map<string, string>;
  readonly found: Map<string, FoundDocument>;
}

/** A batch of one class: the objects and why each is there, the documents found for some of them, those dropped. */
export interface WorkBatch {
  readonly className: string;
  readonly items: Map<string, string>;
  readonly found: Map<string, FoundDocument>;
  readonly dropped: ObjectRef[];
}

export class WorkQueue {
  private readonly pending = new Map<string, ClassLine>();
  private readonly visits = new Map<string, number>();

  constructor(private readonly order: ClassOrder) {}

  /**
   * Adds objects (an object already waiting keeps its place; a document found for it replaces
   * the one it had, being the later read). Returns those newly added.
   */
  add(items: Iterable<Dependant>): Dependant[] {
    const added: Dependant[] = [];
    for (const item of items) {
      let line = this.pending.get(item.ref.class);
      if (!line) this.pending.set(item.ref.class, (line = { ids: [], head: 0, why: new Map(), found: new Map() }));
      if (item.found) line.found.set(item.ref.id, item.found);
      if (line.why.has(item.ref.id)) continue;
      line.why.set(item.ref.id, item.why);
      line.ids.push(item.ref.id);
      added.push(item);
    }
    return added;
  }

  /** Forgets the documents found for `refs` (they were written since): those objects will be read again. */
  forget(refs: Iterable<ObjectRef>): void {
    for (const ref of refs) this.pending.get(ref.class)?.found.delete(ref.id);
  }

  get size(): number {
    let n = 0;
    for (const line of this.pending.values()) n += line.why.size;
    return n;
  }

  /**
   * The next batch: up to `limit` objects of the first class in recompute order, with the reason
   * each is there. Objects over their visit budget are returned in `dropped`.
   */
  next(limit: number): WorkBatch | undefined {
    let className: string | undefined;
    for (const name of this.pending.keys()) {
      if (className === undefined || this.order.compare(name, className) < 0) className = name;
    }
    if (className === undefined) return undefined;
    const line = this.pending.get(className)!;
    const items = new Map<string, string>();
    const found = new Map<string, FoundDocument>();
    const dropped: ObjectRef[] = [];
    while (items.size < limit && line.head < line.ids.length) {
      const id = line.ids[line.head++]!;
      const why = line.why.get(id)!;
      line.why.delete(id);
      const doc = line.found.get(id);
      line.found.delete(id);
      const key = `${className}\u0000${id}`;
      const visits = (this.visits.get(key) ?? 0) + 1;
      this.visits.set(key, visits);
      if (visits > MAX_VISITS) dropped.push({ class: className, id });
      else {
        items.set(id, why);
        if (doc) found.set(id, doc);
      }
    }
    if (line.head >= line.ids.length) this.pending.delete(className);
    return { className, items, found, dropped };
  }
}
