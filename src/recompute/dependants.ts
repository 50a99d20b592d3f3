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
import type { StoredDocument, StoredValue } from '../store/port.ts';
import { classScanTriggers, existenceTriggers } from './existence.ts';
import { recursiveValueEvents } from './recursive-values.ts';
import { docId, isEmptyLink, keyField, keyQueryValues, linkValuesOf } from './keys.ts';
import type { LoadedObject } from './loaded-object.ts';
import { LoadSession } from './session.ts';
import { cachedTargets, hasTargets } from './targets.ts';
import { refKey, type ObjectRef, type RecomputeContext } from './types.ts';

/** One change of one object, as the recompute sees it. */
export interface ChangeEvent {
  readonly cls: ClassMeta;
  readonly id: string;
  /** The document now; null when it was deleted. */
  readonly doc: StoredDocument | null;
  /** Old values of the changed fields (for a delete: the whole old document). */
  readonly old: StoredDocument;
  readonly fields: readonly string[];
  /** `computed`: written by the recompute itself. */
  readonly op: 'insert' | 'update' | 'delete' | 'computed';
  /** Set when `old` may lack the old link values (a change stream without pre-images). */
  readonly oldValuesUnknown?: boolean;
}

/** An object to recompute and why. */
export interface Dependant {
  readonly ref: ObjectRef;
  readonly why: string;
}

interface Source {
  readonly cls: ClassMeta;
  readonly doc: StoredDocument;
}

/** The states a change's first reverse step starts from: the current document and the old one. */
function sourcesOf(event: ChangeEvent): Source[] {
  const out: Source[] = [];
  if (event.doc) out.push({ cls: event.cls, doc: event.doc });
  if (Object.keys(event.old).length > 0) out.push({ cls: event.cls, doc: { ...(event.doc ?? {}), ...event.old } });
  return out;
}

function distinctValues(values: Iterable<StoredValue>): StoredValue[] {
  const seen = new Map<string, StoredValue>();
  for (const v of values) {
    if (isEmptyLink(v)) continue;
    const key = `${typeof v}:${v instanceof Date ? v.toISOString() : String(v)}`;
    if (!seen.has(key)) seen.set(key, v);
  }
  return [...seen.values()];
}

/** Values of `field` in the sources (array fields give their elements). */
function fieldValues(sources: readonly Source[], field: string): StoredValue[] {
  return distinctValues(sources.flatMap((s) => {
    const v = s.doc[field];
    return Array.isArray(v) ? v : [v];
  }));
}

/** One reverse step for all sources: one query (two for a backColl pair). */
async function runStep(ctx: RecomputeContext, step: ReverseStep, sources: readonly Source[]): Promise<Source[]> {
  const repo = ctx.meta.repository;
  const to = repo.classes.get(step.to);
  if (!to || sources.length === 0) return [];
  const { collection, discriminators } = to.storage;
  const keys = () => distinctValues(sources.flatMap((s) => linkValuesOf(s.cls, s.doc)));
  let docs: StoredDocument[] = [];
  switch (step.kind) {
    case 'reference': {
      const values = keys();
      if (values.length) docs = await ctx.store.findByField(collection, discriminators, step.field, values);
      break;
    }
    case 'idArray': {
      const values = keys();
      if (values.length) docs = await ctx.store.findByArrayMember(collection, discriminators, step.field, values);
      break;
    }
    case 'backColl': {
      const values = keys();
      if (values.length) docs = await ctx.store.findByArrayMember(collection, discriminators, step.field, values);
      const listed = fieldValues(sources, step.mirror).map(String);
      if (listed.length) docs = docs.concat(await ctx.store.findByField(collection, discriminators, keyField(to), keyQueryValues(to, listed)));
      break;
    }
    case 'backReference':
    case 'backRefCollection': {
      const held = fieldValues(sources, step.field);
      const values = step.binding ? held : keyQueryValues(to, held.map(String)).concat(held);
      if (held.length) docs = await ctx.store.findByField(collection, discriminators, step.binding ?? keyField(to), distinctValues(values));
      break;
    }
    case 'classScan': {
      const tie = step.ties[0];
      // A null on either side matches the owners whose filter value is null: those with an empty
      // or a dangling link, which no field query finds, so that case scans.
      const nullTie = tie !== undefined && sources.some((s) => isEmptyLink(s.doc[tie.attribute]));
      if (tie && !nullTie) {
        const values = fieldValues(sources, tie.attribute);
        if (values.length) docs = await ctx.store.findByField(collection, discriminators, tie.ownerAttribute, values);
      } else {
        for await (const batch of ctx.store.scan(collection, discriminators)) docs = docs.concat(batch);
      }
      break;
    }
  }
  const seen = new Set<string>();
  const out: Source[] = [];
  for (const doc of docs) {
    const cls = (typeof doc._class === 'string' ? repo.classes.get(doc._class) : undefined) ?? to;
    const key = `${cls.canonicalName}\u0000${docId(cls, doc)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ cls, doc });
  }
  return out;
}

/** Whether a step starts from a field of the changed object (so its old value matters). */
function readsSourceField(step: ReverseStep): boolean {
  return step.kind === 'backReference' || step.kind === 'backRefCollection' || step.kind === 'backColl' || (step.kind === 'classScan' && step.ties.length > 0);
}

/** Triggers fired by an event, without the ones that cannot matter. */
function firedTriggers(ctx: RecomputeContext, event: ChangeEvent): Trigger[] {
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
export async function findDependants(ctx: RecomputeContext, events: readonly ChangeEvent[], options: FindOptions = {}): Promise<Dependant[]> {
  const repo = ctx.meta.repository;
  const out = new Map<string, Dependant>();
  const add = (cls: ClassMeta, doc: StoredDocument, why: string, targetClass?: string): void => {
    if (!hasTargets(cls)) return;
    if (targetClass && !repo.isA(cls.canonicalName, targetClass)) return;
    const ref = { class: cls.canonicalName, id: docId(cls, doc) };
    if (ref.id === '' || out.has(refKey(ref))) return;
    out.set(refKey(ref), { ref, why });
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
    let at: Source[] = group.sources;
    for (const [i, step] of group.steps.entries()) {
      at = i === 0 && group.scanFirst ? await runStep(ctx, { kind: 'classScan', to: step.to, ties: [] }, at) : await runStep(ctx, step, at);
    }
    for (const s of at) for (const [targetClass, why] of group.targets) add(s.cls, s.doc, why, targetClass);
  }
  if (!options.skipDeclared) await declaredDependants(ctx, events, (o, why) => add(o.cls, o.doc, why));
  return [...out.values()];
}

/** ION's `cacheDependencies`: from the object (current and old state) along each declared path. */
async function declaredDependants(ctx: RecomputeContext, events: readonly ChangeEvent[], add: (o: LoadedObject, why: string) => void): Promise<void> {
  const session = new LoadSession(ctx);
  const byPath = new Map<string, { path: string; objects: LoadedObject[]; cls: string }>();
  for (const event of events) {
    for (const path of event.cls.cacheDependencies) {
      const key = `${event.cls.canonicalName}\u0000${path}`;
      const entry = byPath.get(key) ?? { path, objects: [], cls: event.cls.canonicalName };
      if (event.doc) {
        const current = session.adopt(event.doc, event.cls);
        if (current) entry.objects.push(current);
      }
      if (Object.keys(event.old).length > 0) entry.objects.push(session.ghost(event.cls, { ...(event.doc ?? {}), ...event.old }));
      byPath.set(key, entry);
    }
  }
  for (const { path, objects, cls } of byPath.values()) {
    for (const o of await session.walk(objects, path.split('.'))) add(o, `cacheDependencies "${path}" of ${cls}`);
  }
}
