/**
 * One batch: load (planned, batched), evaluate, diff against the stored documents, write the
 * changed fields with one `bulkSet` per collection, and report the changes as events for the
 * cascade.
 */
import type { BulkUpdate } from '../store/port.ts';
import type { ChangeEvent } from './change-event.ts';
import { isChanged } from './diff.ts';
import { evaluateObjects, type Evaluated } from './evaluate.ts';
import { keyMatch } from './keys.ts';
import { loadPlan } from './load-plan.ts';
import type { LoadedObject } from './loaded-object.ts';
import { LoadSession } from './session.ts';
import { addWarnings, type RecomputeResult } from './types.ts';

/** The loading plan for the whole batch (one query per hop and link definition), then evaluation. */
async function evaluateBatched(session: LoadSession, objects: readonly LoadedObject[]): Promise<Evaluated[]> {
  const byClass = new Map<string, LoadedObject[]>();
  for (const o of objects) {
    const list = byClass.get(o.cls.canonicalName);
    if (list) list.push(o);
    else byClass.set(o.cls.canonicalName, [o]);
  }
  for (const list of byClass.values()) await session.preload(list, loadPlan(session.ctx.meta, list[0]!.cls));
  return evaluateObjects(session, objects);
}

/** ION-style: each object in a session of its own, links loaded lazily (one query per link per object). */
async function evaluateEach(session: LoadSession, objects: readonly LoadedObject[]): Promise<Evaluated[]> {
  const out: Evaluated[] = [];
  for (const object of objects) {
    const own = new LoadSession(session.ctx);
    const copy = own.adopt(object.doc, object.cls)!;
    const [evaluated] = await evaluateObjects(own, [copy]);
    session.warnings.push(...own.warnings);
    out.push({ ...evaluated!, object });
  }
  return out;
}

/** Recomputes `objects` (loaded in `session`); returns the change events of what was written. */
export async function recomputeLoaded(
  session: LoadSession,
  objects: readonly LoadedObject[],
  result: RecomputeResult,
  why: (object: LoadedObject) => string,
): Promise<ChangeEvent[]> {
  const { ctx } = session;
  const evaluated = ctx.loading === 'per-object' ? await evaluateEach(session, objects) : await evaluateBatched(session, objects);
  const updates = new Map<string, BulkUpdate[]>();
  const events: ChangeEvent[] = [];
  for (const { object, values, errors, warnings } of evaluated) {
    result.objects++;
    result.errors.push(...errors);
    addWarnings(result, warnings);
    for (const w of warnings) ctx.hooks.onWarning?.(w);
    const set: Record<string, unknown> = {};
    const old: Record<string, unknown> = {};
    for (const [attribute, value] of values) {
      if (!isChanged(object.doc, attribute, value)) continue;
      set[attribute] = value;
      old[attribute] = object.doc[attribute] ?? null;
    }
    const fields = Object.keys(set);
    if (fields.length === 0) continue;
    const collection = object.cls.storage.collection;
    const update = { match: keyMatch(object.cls, object.doc), set, id: object.id };
    const list = updates.get(collection);
    if (list) list.push(update);
    else updates.set(collection, [update]);
    events.push({ cls: object.cls, id: object.id, doc: { ...object.doc, ...set }, old, fields, op: 'computed' });
    result.changedCount = (result.changedCount ?? 0) + fields.length;
    if (!ctx.keepChanges && !ctx.hooks.onChange) continue;
    for (const attribute of fields) {
      const change = { class: object.cls.canonicalName, id: object.id, attribute, old: old[attribute], new: set[attribute] };
      if (ctx.keepChanges) result.changedFields.push(change);
      ctx.hooks.onChange?.(change, why(object));
    }
  }
  for (const [collection, list] of updates) {
    result.written += await ctx.store.bulkSet(collection, list, { journal: ctx.journal });
  }
  return events;
}
