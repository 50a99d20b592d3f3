/**
 * Which objects to recompute after changes (ion-spec §4; design "dependants"): from the fields
 * that actually changed,
 * - the inferred dependencies of the meta dependency graph: each trigger's reverse steps, run as
 *   one store query per step for all changes at once; the first step also starts from the old
 *   link values (a re-pointed reference, a deleted object), so old targets are recomputed too;
 * - the declared `cacheDependencies` (inherited), walked forward from the object's current and
 *   old state, as ION does.
 * The changed object itself is included when it has cached values (an application change always,
 * a computed change when a value it reads changed after being read).
 */
import type { ClassMeta } from '../meta/index.ts';
import type { ReverseStep, Trigger } from '../meta/graph/types.ts';
import type { StoredDocument } from '../store/port.ts';
import type { ChangeEvent } from './change-event.ts';
import { classScanTriggers, existenceTriggers } from './existence.ts';
import { recursiveValueEvents } from './recursive-values.ts';
import { declaredDependants } from './declared.ts';
import { docId } from './keys.ts';
import { memoizedReads } from './read-memo.ts';
import { readsSourceField, runStep, sourcesOf, type Source, type StepAnswer } from './reverse-steps.ts';
import { cachedTargets, hasTargets } from './targets.ts';
import { refKey, type ObjectRef, type RecomputeContext } from './types.ts';

/** An object to recompute and why. */
export interface Dependant {
  readonly ref: ObjectRef;
  readonly why: string;
  /** Its document as the reverse step that found it read it (the recompute may use it instead of reading it again). */
  readonly found?: FoundDocument;
}

/**
 * A document read while finding dependants, and where its query's answer had it: documents of
 * one answer at increasing positions are in storage order, the order a load by ids gives.
 */
export interface FoundDocument {
  readonly doc: StoredDocument;
  /** The query (one token per reverse-step query). */
  readonly query: object;
  /** Position in that query's answer. */
  readonly position: number;
}

/** Triggers fired by an event, without the ones that cannot matter. */
const firedCache = new WeakMap<object, Map<string, Trigger[]>>();
const FIRED_CACHE_LIMIT = 10_000;

/** {@link computeFired}, memoized per meta by what it depends on (a rebuild repeats the same few shapes). */
function firedTriggers(ctx: RecomputeContext, event: ChangeEvent): Trigger[] {
  let cache = firedCache.get(ctx.meta);
  if (!cache) firedCache.set(ctx.meta, (cache = new Map()));
  const key = `${event.cls.canonicalName}\u0000${event.op}\u0000${event.doc ? 1 : 0}\u0000${event.fields.join('\u0001')}`;
  let fired = cache.get(key);
  if (!fired) {
    if (cache.size >= FIRED_CACHE_LIMIT) cache.clear();
    fired = computeFired(ctx, event);
    cache.set(key, fired);
  }
  return fired;
}

function computeFired(ctx: RecomputeContext, event: ChangeEvent): Trigger[] {
  const graph = ctx.meta.graph;
  const repo = ctx.meta.repository;
  const fired = new Set(graph.dependantsOf(event.cls.canonicalName, event.fields));
  if (event.op === 'insert' || event.op === 'delete') {
    // A class-wide read (count over a class) changes with any object coming or going.
    for (const t of classScanTriggers(ctx.meta, event.cls.canonicalName)) fired.add(t);
    for (const t of existenceTriggers(ctx.meta, event.cls.canonicalName)) fired.add(t);
  }
  const targets = cachedTargets(event.cls);
  const position = (attribute: string) => targets.find((t) => t.attribute === attribute)?.index;
  return [...fired].filter((t) => {
    if (t.reverse.length > 0) return true;
    if (!event.doc || !repo.isA(event.cls.canonicalName, t.target.class)) return false;
    if (event.op !== 'computed') return true;
    // The object's own later values were evaluated after this one changed: they saw it.
    const changed = position(t.field);
    const target = position(t.target.attribute);
    return !(changed !== undefined && target !== undefined && target > changed);
  });
}

export interface FindOptions {
  /** Targets (declaring class) not to look for, e.g. classes a rebuild will process later anyway. */
  readonly skipTarget?: (className: string) => boolean;
  /** Skip the declared `cacheDependencies` (a rebuild: what they reach is recomputed anyway). */
  readonly skipDeclared?: boolean;
}

/** The objects to recompute after `events`, in a deterministic order, without duplicates. */
export async function findDependants(context: RecomputeContext, events: readonly ChangeEvent[], options: FindOptions = {}): Promise<Dependant[]> {
  // Nothing is written while dependants are found: a lookup run twice (a reverse step and the
  // declared walk along the same link) is answered once. Without the declared walk (a rebuild)
  // repeats are rare and the keys not worth building.
  const ctx: RecomputeContext = options.skipDeclared ? context : { ...context, store: memoizedReads(context.store) };
  const repo = ctx.meta.repository;
  const out = new Map<string, Dependant>();
  const add = (cls: ClassMeta, doc: StoredDocument, why: string, targetClass?: string, found?: FoundDocument): void => {
    if (!hasTargets(cls)) return;
    if (targetClass && !repo.isA(cls.canonicalName, targetClass)) return;
    const ref = { class: cls.canonicalName, id: docId(cls, doc) };
    if (ref.id === '' || out.has(refKey(ref))) return;
    out.set(refKey(ref), found ? { ref, why, found } : { ref, why });
  };

  const groups = new Map<string, { steps: readonly ReverseStep[]; sources: Source[]; targets: Map<string, string>; scanFirst: boolean }>();
  const displayed = await recursiveValueEvents(ctx, events);
  for (const event of [...events, ...displayed]) {
    if (event.doc && event.op !== 'computed' && event.op !== 'delete') add(event.cls, event.doc, `${event.op} of ${event.cls.canonicalName}/${event.id}`);
    for (const t of firedTriggers(ctx, event)) {
      if (options.skipTarget?.(t.target.class)) continue;
      const why = `${event.cls.canonicalName}/${event.id}.${t.field} changed (${t.target.class}.${t.target.attribute} reads ${t.path})`;
      if (t.reverse.length === 0) {
        add(event.cls, event.doc!, why, t.target.class);
        continue;
      }
      const key = JSON.stringify(t.reverse);
      const group = groups.get(key) ?? { steps: t.reverse, sources: [], targets: new Map<string, string>(), scanFirst: false };
      group.sources.push(...sourcesOf(event));
      // Without old values, the objects a link led to before cannot be found: take them all.
      if (event.oldValuesUnknown && t.kind === 'link' && readsSourceField(t.reverse[0]!)) group.scanFirst = true;
      if (!group.targets.has(t.target.class)) group.targets.set(t.target.class, why);
      groups.set(key, group);
    }
  }
  for (const group of [...groups.values()]) {
    let answer: StepAnswer = { reached: group.sources, storageOrder: false };
    for (const [i, step] of group.steps.entries()) {
      answer = await runStep(ctx, i === 0 && group.scanFirst ? { kind: 'classScan', to: step.to, ties: [] } : step, answer.reached);
    }
    // The documents of one answer, read after every change so far was written, go along.
    const query = {};
    for (const [position, s] of answer.reached.entries()) {
      const found = answer.storageOrder ? { doc: s.doc, query, position } : undefined;
      for (const [targetClass, why] of group.targets) add(s.cls, s.doc, why, targetClass, found);
    }
  }
  if (!options.skipDeclared) await declaredDependants(ctx, events, (o, why) => add(o.cls, o.doc, why));
  return [...out.values()];
}
