/**
 * The four functions that plug the recompute engine into the queue and the feed. The queue and the
 * feed never import the engine (they speak `{className, id}` refs and feed events); the engine
 * speaks `{class, id}` refs and journal `ChangeRecord`s. These adapters translate between them.
 */
import type { MetaModel } from '../meta/index.ts';
import type { ClassMeta } from '../meta/index.ts';
import type { ObjectChange } from '../feed/feed-event.ts';
import type { ChangeRouter } from '../feed/feed-sink.ts';
import type { BatchResult, ClassPage, ClassPager, ObjectFailure, RecomputeProcessor } from '../queue/processor.ts';
import type { ObjectRef as QueueRef } from '../queue/object-ref.ts';
import { uniqueRefs } from '../queue/object-ref.ts';
import { applyChanges, recomputeObjects, cachedTargets } from '../recompute/index.ts';
import { findClass } from '../recompute/class-names.ts';
import { docId } from '../recompute/keys.ts';
import type { ObjectRef as EngineRef, RecomputeContext, RecomputeError } from '../recompute/types.ts';
import type { ChangeRecord, StoredDocument } from '../store/port.ts';

/** Queue ref → engine ref. */
export function toEngineRef(ref: QueueRef): EngineRef {
  return { class: ref.className, id: ref.id };
}

/** Engine ref → queue ref. */
export function toQueueRef(ref: EngineRef): QueueRef {
  return { className: ref.class, id: ref.id };
}

/**
 * The error a failing formula becomes on its object's job. Named `FormulaRuntimeError` so the
 * queue classifies it as permanent (it matches by name): re-running the same formula over the
 * same data fails the same way, so retrying would only delay the record of it.
 */
export class ObjectFormulaError extends Error {
  override readonly name = 'FormulaRuntimeError';
  constructor(readonly errors: readonly RecomputeError[]) {
    super(errors.map((e) => `${e.class} ${e.id}.${e.attribute}: ${e.message}`).join('; '));
  }
}

/**
 * The queue's processor: recomputes a batch with `cascade: 'return'` and hands the dependants
 * back for the queue to add in bulk. Formula errors never throw: the engine has already written
 * every other value of the batch (and the failing object's other attributes), so throwing would
 * make the queue re-run objects whose changes are written and lose their cascade. They become
 * `failed` entries of a {@link BatchResult} instead.
 */
export function recomputeProcessor(ctx: RecomputeContext): RecomputeProcessor {
  return async (refs) => {
    const result = await recomputeObjects(ctx, refs.map(toEngineRef), { cascade: 'return' });
    const cascade = uniqueRefs(result.cascade.map(toQueueRef));
    if (result.errors.length === 0) return cascade;
    return { cascade, failed: failuresOf(refs, result.errors) } satisfies BatchResult;
  };
}

/**
 * Groups formula errors by object and maps each onto the ref the queue asked for (which may name
 * an ancestor class or an alias; the engine reports canonical names).
 */
function failuresOf(refs: readonly QueueRef[], errors: readonly RecomputeError[]): ObjectFailure[] {
  const byId = new Map<string, RecomputeError[]>();
  for (const error of errors) {
    const list = byId.get(error.id);
    if (list) list.push(error);
    else byId.set(error.id, [error]);
  }
  const failures: ObjectFailure[] = [];
  for (const [id, list] of byId) {
    const className = list[0]!.class;
    const ref = refs.find((r) => r.id === id && r.className === className) ?? refs.find((r) => r.id === id) ?? { className, id };
    failures.push({ ref, error: new ObjectFormulaError(list) });
  }
  return failures;
}

/** Options of {@link changeRouter}. */
export interface ChangeRouterOptions {
  /**
   * Whether feed changes carry the old values of changed fields: always on the journal, only with
   * pre-images on MongoDB. Without them the engine recomputes every reader of a re-pointed link.
   */
  readonly oldValuesKnown: boolean;
  /**
   * Called with changes the feed could not identify (a MongoDB delete without a pre-image: no id,
   * no class). The router cannot name their dependants; the worker refreshes whole classes.
   */
  readonly onUnidentified?: (changes: readonly ObjectChange[]) => Promise<void>;
}

/**
 * The feed's router: a feed change becomes a journal-shaped `ChangeRecord`, and the engine
 * (`applyChanges` with `cascade: 'return'`) names the objects to recompute — the changed ones and
 * every object that reads what changed, through current and old link targets.
 */
export function changeRouter(ctx: RecomputeContext, options: ChangeRouterOptions): ChangeRouter {
  return async (changes) => {
    const records: ChangeRecord[] = [];
    const unidentified: ObjectChange[] = [];
    for (const change of changes) {
      if (change.id === null || change.className === null) unidentified.push(change);
      else records.push(toChangeRecord(change, change.className, change.id));
    }
    if (unidentified.length > 0) await options.onUnidentified?.(unidentified);
    if (records.length === 0) return [];
    const result = await applyChanges(ctx, records, { cascade: 'return', oldValuesKnown: options.oldValuesKnown });
    // The changed objects themselves are among the dependants when they hold cached values; a
    // deleted object is not (nothing to recompute), and the engine skips it if named anyway.
    return uniqueRefs(result.cascade.map(toQueueRef));
  };
}

function toChangeRecord(change: ObjectChange, className: string, id: string): ChangeRecord {
  return {
    seq: 0,
    time: new Date(change.time),
    collection: change.collection,
    className,
    id,
    op: change.op === 'replace' ? 'update' : change.op,
    changedFields: change.changedFields,
    oldValues: (change.oldValues ?? {}) as StoredDocument,
    computed: false,
  };
}

/**
 * The cached attribute names of every class (including `__semantic` when the semantic is
 * cached), by class name: the feed drops events that touch only these — our own writes.
 */
export function computedFields(meta: MetaModel): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const cls of meta.repository.classes.values()) {
    fields.set(cls.canonicalName, new Set(cachedTargets(cls).map((t) => t.attribute)));
  }
  return fields;
}

/** Scans kept open between pages of class refreshes. */
const MAX_OPEN_SCANS = 16;

/**
 * Pages through a class for "refresh a whole class" jobs. The store scans without a cursor, so
 * the cursor is the count of documents already handed out; the scan that produced a page is kept
 * open and continued when the next page is asked for with that page's cursor (the usual case), so
 * a full refresh reads the class once. A cursor from elsewhere (a refresh resumed after a crash)
 * opens a fresh scan and skips that many documents.
 */
export function classPager(ctx: RecomputeContext): ClassPager {
  const open = new Map<string, { iterator: AsyncIterator<StoredDocument[]>; buffered: StoredDocument[]; position: number }>();
  return async (className, after, limit): Promise<ClassPage> => {
    const cls = findClass(ctx.meta.repository, className);
    if (!cls) throw new Error(`class ${className} is not in the meta`);
    const start = after === null ? 0 : Number(after);
    if (!Number.isSafeInteger(start) || start < 0) throw new Error(`not a class page cursor: ${JSON.stringify(after)}`);
    const slot = `${cls.canonicalName}\u0000${start}`;
    let scan = open.get(slot);
    open.delete(slot);
    if (!scan) {
      scan = { iterator: scanOf(ctx, cls)[Symbol.asyncIterator](), buffered: [], position: 0 };
      while (scan.position < start) {
        if (scan.buffered.length === 0 && !(await refill(scan))) break;
        const skip = Math.min(start - scan.position, scan.buffered.length);
        scan.buffered.splice(0, skip);
        scan.position += skip;
      }
    }
    const ids: string[] = [];
    while (ids.length < limit) {
      if (scan.buffered.length === 0 && !(await refill(scan))) break;
      const doc = scan.buffered.shift()!;
      scan.position += 1;
      // Descendants are paged with their own class; the engine loads each as its actual class.
      const id = docId(cls, doc);
      if (id !== '') ids.push(id);
    }
    if (scan.buffered.length === 0 && !(await refill(scan))) return { ids, next: null };
    // A refresh abandoned mid-way (its job failed) would leave its scan here: keep a few only,
    // and close every scan let go — one replaced by a newer scan at the same position, or the
    // oldest — since a MongoDB cursor would otherwise stay open on the server until its idle
    // timeout.
    const key = `${cls.canonicalName}\u0000${scan.position}`;
    const replaced = open.get(key);
    if (replaced) {
      open.delete(key);
      closeScan(replaced);
    }
    if (open.size >= MAX_OPEN_SCANS) {
      const [oldest, dropped] = open.entries().next().value!;
      open.delete(oldest);
      closeScan(dropped);
    }
    open.set(key, scan);
    return { ids, next: String(scan.position) };
  };
}

/** The class and its descendants (a refresh of a base class refreshes every object of it). */
function scanOf(ctx: RecomputeContext, cls: ClassMeta): AsyncIterable<StoredDocument[]> {
  const repo = ctx.meta.repository;
  const classes = [...repo.classes.values()].filter((c) => repo.isA(c.canonicalName, cls.canonicalName)).map((c) => c.canonicalName);
  return ctx.store.scan(cls.storage.collection, classes, { batchSize: 1000 });
}

/** Ends a scan no page will continue (closes the store's cursor); a failure to close is moot. */
function closeScan(scan: { iterator: AsyncIterator<StoredDocument[]> }): void {
  void scan.iterator.return?.()?.catch(() => undefined);
}

async function refill(scan: { iterator: AsyncIterator<StoredDocument[]>; buffered: StoredDocument[] }): Promise<boolean> {
  for (;;) {
    const next = await scan.iterator.next();
    if (next.done) return false;
    if (next.value.length > 0) {
      scan.buffered = next.value.slice();
      return true;
    }
  }
}
