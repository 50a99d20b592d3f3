/**
 * The entry points of the recompute layer, free of queue concerns (the worker and the CLI call
 * them): recompute given objects and cascade, apply journal changes, rebuild everything.
 *
 * The cascade processes waiting objects class by class in dependency order, so values that read
 * other cached values are computed after them; it continues only from fields that actually
 * changed, and an object that keeps changing (a cycle in the data) stops after `MAX_VISITS`.
 * A worker that queues dependants itself asks for `cascade: 'return'`: the dependants are found
 * and returned in `result.cascade`, not recomputed.
 */
import type { ClassMeta } from '../meta/index.ts';
import type { ChangeRecord, StoredDocument } from '../store/port.ts';
import { findClass } from './class-names.ts';
import { classOrderOf } from './context.ts';
import { findDependants, type Dependant, type FoundDocument } from './dependants.ts';
import { eventsOf } from './journal-events.ts';
import { recomputeLoaded } from './recompute-batch.ts';
import { LoadSession } from './session.ts';
import { hasTargets } from './targets.ts';
import { addWarnings, emptyResult, refKey, type ObjectRef, type RecomputeContext, type RecomputeResult, type RecomputeWarning } from './types.ts';
import { WorkQueue, MAX_VISITS } from './work-queue.ts';

/**
 * What to do with the objects that read changed values:
 * - `'follow'` (default): recompute them here, and theirs, until nothing changes;
 * - `'return'`: find them and return them in `result.cascade` (a worker queues them);
 * - `'none'`: do not look for them.
 */
export type CascadeMode = 'follow' | 'return' | 'none';

export interface CascadeOptions {
  readonly cascade?: CascadeMode;
}

/** A warning raised here rather than in a session: kept in the result and passed to the hook. */
function warnDirectly(ctx: RecomputeContext, result: RecomputeResult, warning: RecomputeWarning): void {
  addWarnings(result, [warning]);
  ctx.hooks.onWarning?.(warning);
}

/**
 * The documents the cascade found for a whole batch, when they can stand for a load by ids: every
 * object has one, all from one query's answer, in its order (storage order, as a load gives), each
 * of a class the load would match. Otherwise (undefined) the batch is loaded.
 */
function carriedDocuments(cls: ClassMeta, ids: readonly string[], found: ReadonlyMap<string, FoundDocument>): StoredDocument[] | undefined {
  if (ids.length === 0 || found.size !== ids.length) return undefined;
  const docs: StoredDocument[] = [];
  let last: FoundDocument | undefined;
  for (const id of ids) {
    const f = found.get(id);
    if (!f || (last && (f.query !== last.query || f.position <= last.position))) return undefined;
    if (!cls.storage.discriminators.includes(f.doc._class as string)) return undefined;
    docs.push(f.doc);
    last = f;
  }
  return docs;
}

/** Recomputes the queued objects batch by batch; dependants of what changed are followed or returned. */
async function drain(ctx: RecomputeContext, queue: WorkQueue, result: RecomputeResult, mode: CascadeMode, requested: ReadonlySet<string>): Promise<void> {
  const repo = ctx.meta.repository;
  const returned = new Set<string>();
  for (let batch = queue.next(ctx.batchSize); batch; batch = queue.next(ctx.batchSize)) {
    for (const ref of batch.dropped) {
      warnDirectly(ctx, result, { ...ref, attribute: '', message: `recomputed ${MAX_VISITS} times in one cascade: its values do not settle (a cycle in the data); left as is` });
    }
    const cls = repo.classes.get(batch.className);
    if (!cls || batch.items.size === 0) continue;
    const session = new LoadSession(ctx);
    const ids = [...batch.items.keys()];
    const carried = carriedDocuments(cls, ids, batch.found);
    const loaded = carried ? session.adoptObjects(cls, ids, carried) : await session.loadObjects(cls, ids);
    for (const id of batch.items.keys()) {
      if (!loaded.has(id) && requested.has(refKey({ class: cls.canonicalName, id }))) {
        session.warn({ class: cls.canonicalName, id }, '', 'object not found: nothing to recompute');
      }
    }
    // Objects load as their actual class (a ref may name an ancestor); one that vanished is skipped.
    const objects = [...loaded.values()].filter((o) => hasTargets(o.cls));
    const events = await recomputeLoaded(session, objects, result, (o) => batch.items.get(o.id) ?? '');
    addWarnings(result, session.warnings);
    ctx.hooks.onBatch?.({ class: cls.canonicalName, objects: objects.length });
    // Documents found before these writes are out of date.
    queue.forget(events.map((e) => ({ class: e.cls.canonicalName, id: e.id })));
    if (mode === 'none' || events.length === 0) continue;
    const dependants = await findDependants(ctx, events);
    if (mode === 'return') {
      for (const d of dependants) {
        if (returned.has(refKey(d.ref))) continue;
        returned.add(refKey(d.ref));
        result.cascade.push(d.ref);
      }
      continue;
    }
    for (const added of queue.add(dependants)) {
      if (!requested.has(refKey(added.ref))) result.cascade.push(added.ref);
    }
  }
}

/**
 * Recomputes the cached values of `refs`, writing only changed fields, and (by default) every
 * object whose values read what changed.
 */
export async function recomputeObjects(ctx: RecomputeContext, refs: readonly ObjectRef[], options: CascadeOptions = {}): Promise<RecomputeResult> {
  const result = emptyResult();
  const queue = new WorkQueue(classOrderOf(ctx.meta));
  // Class names as written (`line`, an ancestor) become canonical; the object loads as its actual class.
  const classes = new Map<string, ReturnType<typeof findClass>>();
  const known = refs.flatMap((ref) => {
    let cls = classes.get(ref.class);
    if (!classes.has(ref.class)) classes.set(ref.class, (cls = findClass(ctx.meta.repository, ref.class)));
    if (cls) return [{ class: cls.canonicalName, id: ref.id }];
    warnDirectly(ctx, result, { ...ref, attribute: '', message: `class ${ref.class} is not in the meta: not recomputed` });
    return [];
  });
  queue.add(known.map((ref) => ({ ref, why: 'requested' })));
  await drain(ctx, queue, result, options.cascade ?? 'follow', new Set(known.map(refKey)));
  return result;
}

export interface ApplyOptions extends CascadeOptions {
  /**
   * Whether the records carry the old values of changed link fields (default true: the embedded
   * journal always does; a MongoDB change stream only with pre-images). Without them, the old
   * targets of a re-pointed link cannot be told apart: every object of the classes that read
   * through that link is recomputed instead (correct, slower).
   */
  readonly oldValuesKnown?: boolean;
}

/**
 * Applies application changes from the journal (the embedded change feed): recomputes the changed
 * objects and the objects that read what changed (current and old link targets, declared
 * `cacheDependencies`), and cascades. Computed records are skipped. With `cascade: 'return'`
 * nothing is recomputed: the objects to recompute are returned in `result.cascade`.
 */
export async function applyChanges(ctx: RecomputeContext, records: readonly ChangeRecord[], options: ApplyOptions = {}): Promise<RecomputeResult> {
  const result = emptyResult();
  const events = await eventsOf(ctx, records, (w) => warnDirectly(ctx, result, w), options.oldValuesKnown ?? true);
  const first: Dependant[] = await findDependants(ctx, events);
  const mode = options.cascade ?? 'follow';
  if (mode === 'return') {
    result.cascade.push(...first.map((d) => d.ref));
    return result;
  }
  const queue = new WorkQueue(classOrderOf(ctx.meta));
  queue.add(first);
  const direct = new Set(events.filter((e) => e.doc).map((e) => refKey({ class: e.cls.canonicalName, id: e.id })));
  for (const d of first) if (!direct.has(refKey(d.ref))) result.cascade.push(d.ref);
  await drain(ctx, queue, result, mode, direct);
  return result;
}

/** {@link applyChanges} for one journal record. */
export function applyChange(ctx: RecomputeContext, record: ChangeRecord, options: ApplyOptions = {}): Promise<RecomputeResult> {
  return applyChanges(ctx, [record], options);
}

export interface RebuildOptions {
  /** Only these classes (names as in meta) and their descendants; default every class with cached values. */
  readonly classes?: readonly string[];
}

/**
 * Recomputes every cached value from scratch: classes in dependency order, each scanned in
 * batches; changes that affect classes already processed (or outside `classes`) cascade, those
 * that affect classes still to come wait for their turn. World C settles in one run.
 */
export async function rebuildAll(ctx: RecomputeContext, options: RebuildOptions = {}): Promise<RecomputeResult> {
  const repo = ctx.meta.repository;
  const order = classOrderOf(ctx.meta);
  const wanted = options.classes?.map((name) => {
    const cls = findClass(repo, name);
    if (!cls) throw new Error(`class ${name} is not in the meta`);
    return cls;
  });
  const selected = order.classes.filter((name) => !wanted || wanted.some((w) => repo.isA(name, w.canonicalName)));
  const result = emptyResult();
  const queue = new WorkQueue(order);
  const done = new Set<string>();
  for (const className of selected) {
    const cls = repo.get(className);
    const later = (c: string) => selected.includes(c) && !done.has(c) && c !== className;
    // Values of classes still to come are computed after this batch anyway: no need to look for them.
    const skipped = new Map<string, boolean>();
    const skipTarget = (target: string) => {
      let skip = skipped.get(target);
      if (skip === undefined) {
        const holders = order.classes.filter((c) => repo.isA(c, target));
        skipped.set(target, (skip = holders.length > 0 && holders.every(later)));
      }
      return skip;
    };
    for await (const docs of ctx.store.scan(cls.storage.collection, [className], { batchSize: ctx.batchSize })) {
      const session = new LoadSession(ctx);
      const objects = session.adoptAll(docs, cls).filter((o) => o.cls === cls);
      const events = await recomputeLoaded(session, objects, result, () => 'rebuild');
      addWarnings(result, session.warnings);
      ctx.hooks.onBatch?.({ class: className, objects: objects.length });
      if (events.length === 0) continue;
      const dependants = await findDependants(ctx, events, { skipTarget, skipDeclared: true });
      // Drained at the end, long after: those objects are read then, not carried.
      for (const added of queue.add(dependants.filter((d) => !later(d.ref.class)).map(({ ref, why }) => ({ ref, why })))) result.cascade.push(added.ref);
    }
    done.add(className);
  }
  await drain(ctx, queue, result, 'follow', new Set());
  return result;
}
