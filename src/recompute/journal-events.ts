/**
 * Journal records → change events: the current documents of the changed objects are read back
 * with one store query per collection for the whole list of records (not one per record), and
 * each record gets exactly what a query by its own class and id would give.
 */
import type { ClassMeta } from '../meta/index.ts';
import type { ChangeRecord, StoredDocument, StoredValue } from '../store/port.ts';
import type { ChangeEvent } from './change-event.ts';
import { keyField, keyQueryValues } from './keys.ts';
import type { RecomputeContext, RecomputeWarning } from './types.ts';

/** A record's class and the key value its document is looked up by (as a one-record query would). */
interface Lookup {
  readonly record: ChangeRecord;
  readonly cls: ClassMeta;
  /** `typeof:String(value)` of the key query value; undefined for a delete. */
  readonly key?: string;
}

const valueKey = (v: StoredValue): string => `${typeof v}:${String(v)}`;

/**
 * The current documents of the records' objects, read with one query per collection and key
 * field for all records (not one per record). A record gets what a query by its own class and id
 * would have given: the first document, in storage order, of exactly its class whose key field
 * holds its key value.
 */
async function readBack(ctx: RecomputeContext, lookups: readonly Lookup[]): Promise<Map<string, StoredDocument>> {
  const groups = new Map<string, { collection: string; field: string; classes: Set<string>; values: Map<string, StoredValue> }>();
  for (const { record, cls, key } of lookups) {
    if (key === undefined) continue;
    const collection = cls.storage.collection;
    const field = keyField(cls);
    const group = groups.get(`${collection}\u0000${field}`) ?? { collection, field, classes: new Set<string>(), values: new Map<string, StoredValue>() };
    groups.set(`${collection}\u0000${field}`, group);
    group.classes.add(cls.canonicalName);
    for (const v of keyQueryValues(cls, [record.id])) group.values.set(valueKey(v), v);
  }
  // class, key field, key value → the first document in storage order.
  const found = new Map<string, StoredDocument>();
  for (const { collection, field, classes, values } of groups.values()) {
    const docs = await ctx.store.findByField(collection, [...classes], field, [...values.values()]);
    for (const doc of docs) {
      const at = `${String(doc._class)}\u0000${field}\u0000${valueKey(doc[field])}`;
      if (!found.has(at)) found.set(at, doc);
    }
  }
  return found;
}

/** Change events from journal records, in record order: the current document is read back for inserts and updates. */
export async function eventsOf(ctx: RecomputeContext, records: readonly ChangeRecord[], warn: (warning: RecomputeWarning) => void, oldValuesKnown = true): Promise<ChangeEvent[]> {
  const repo = ctx.meta.repository;
  const lookups: Lookup[] = [];
  for (const record of records) {
    // Our own writes are followed by the cascade that made them.
    if (record.computed) continue;
    const cls = record.className ? repo.classes.get(record.className) : undefined;
    if (!cls) {
      warn({ class: record.className ?? '', id: record.id, attribute: '', message: 'change of an object of a class not in the meta: ignored' });
      continue;
    }
    const [value] = record.op === 'delete' ? [] : keyQueryValues(cls, [record.id]);
    lookups.push({ record, cls, ...(record.op === 'delete' ? {} : { key: value === undefined ? '' : valueKey(value) }) });
  }
  const found = await readBack(ctx, lookups);
  return lookups.map(({ record, cls, key }) => {
    const doc = key === undefined ? null : (found.get(`${cls.canonicalName}\u0000${keyField(cls)}\u0000${key}`) ?? null);
    return {
      cls, id: record.id, doc, old: record.oldValues, fields: record.changedFields, op: doc ? record.op : 'delete',
      ...(oldValuesKnown ? {} : { oldValuesUnknown: true }),
    };
  });
}
