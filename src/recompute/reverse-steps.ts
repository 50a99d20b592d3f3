/**
 * Running the meta graph's reverse steps (§ "dependants" of docs/recompute.md): from changed
 * objects back to the objects that read them, one store query per step for all sources at once
 * (two for a backColl pair). The first step starts from each change's current and old document.
 */
import type { ClassMeta } from '../meta/index.ts';
import type { ReverseStep } from '../meta/graph/types.ts';
import type { StoredDocument, StoredValue } from '../store/port.ts';
import type { ChangeEvent } from './change-event.ts';
import { docId, isEmptyLink, keyField, keyQueryValues, linkValuesOf } from './keys.ts';
import type { RecomputeContext } from './types.ts';

/** An object a step starts from or arrives at: its class and document. */
export interface Source {
  readonly cls: ClassMeta;
  readonly doc: StoredDocument;
}

/** The states a change's first reverse step starts from: the current document and the old one. */
export function sourcesOf(event: ChangeEvent): Source[] {
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

/** What a step reached, and whether that list is in storage order (one query's answer, not two joined). */
export interface StepAnswer {
  readonly reached: Source[];
  readonly storageOrder: boolean;
}

/** One reverse step for all sources: one query (two for a backColl pair). */
export async function runStep(ctx: RecomputeContext, step: ReverseStep, sources: readonly Source[]): Promise<StepAnswer> {
  const repo = ctx.meta.repository;
  const to = repo.classes.get(step.to);
  if (!to || sources.length === 0) return { reached: [], storageOrder: true };
  const { collection, discriminators } = to.storage;
  const keys = () => distinctValues(sources.flatMap((s) => linkValuesOf(s.cls, s.doc)));
  let docs: StoredDocument[] = [];
  let storageOrder = true;
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
      storageOrder = docs.length === 0 || listed.length === 0;
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
  return { reached: out, storageOrder };
}

/** Whether a step starts from a field of the changed object (so its old value matters). */
export function readsSourceField(step: ReverseStep): boolean {
  return step.kind === 'backReference' || step.kind === 'backRefCollection' || step.kind === 'backColl' || (step.kind === 'classScan' && step.ties.length > 0);
}

