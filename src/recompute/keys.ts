/**
 * Key values as the store holds them (ion-spec §2.5–§2.6): a reference stores its target's key
 * cast to the key attribute's type, an id array the same for each element. These helpers turn
 * ids and stored link values into the values a store query must match (type-strict, as MongoDB).
 */
import { keyValues, objectId, type ClassMeta } from '../meta/index.ts';
import type { StoredDocument, StoredValue } from '../store/port.ts';

/** Whether a stored link value is empty (no link): null, missing or ''. */
export function isEmptyLink(value: StoredValue): boolean {
  return value === null || value === undefined || value === '';
}

/** The id a stored reference value names (a composite key is stored as the joined id). */
export function idOfStored(value: StoredValue): string | undefined {
  if (isEmptyLink(value)) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined; // an object or array where a key belongs: bad data
}

/** The field a query by id matches: the first key attribute (composite keys are checked in memory). */
export function keyField(cls: ClassMeta): string {
  return cls.key[0] ?? 'id';
}

const NUMERIC_TYPES: ReadonlySet<number> = new Set([6, 7, 8]);

/** Values of the first key attribute that select the objects with `ids` (cast to the key type). */
export function keyQueryValues(cls: ClassMeta, ids: Iterable<string>): StoredValue[] {
  const field = keyField(cls);
  const seen = new Set<string>();
  const out: StoredValue[] = [];
  if (cls.key.length === 1) {
    // The common case without building a key object per id (same rule as `keyValues`).
    const numeric = NUMERIC_TYPES.has(cls.propertyByName.get(field)?.type ?? -1);
    for (const id of ids) {
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(numeric && id !== '' && !Number.isNaN(Number(id)) ? Number(id) : id);
    }
    return out;
  }
  for (const id of ids) {
    const value = keyValues(cls, id)[field];
    const key = `${typeof value}:${String(value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}

/** The id of a stored document of `cls` (key values joined by `_`), '' when it has no key. */
export function docId(cls: ClassMeta, doc: StoredDocument): string {
  if (cls.key.length === 1) {
    // The common case, as `objectId` computes it, without the intermediate array.
    const value = doc[cls.key[0]!];
    if (typeof value === 'string') return value;
    if (typeof value === 'number') return String(value);
  }
  return objectId(cls, doc) ?? '';
}

/**
 * The value other objects store to point at `doc` (its key value; the joined id for a composite
 * key), plus its text/number twin: links written by hand are not always cast, and finding too
 * many dependants only costs a recompute.
 */
export function linkValuesOf(cls: ClassMeta, doc: StoredDocument): StoredValue[] {
  const raw = cls.key.length === 1 ? doc[keyField(cls)] : docId(cls, doc);
  if (isEmptyLink(raw)) return [];
  const out: StoredValue[] = [raw];
  if (typeof raw === 'number') out.push(String(raw));
  else if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) out.push(Number(raw));
  return out;
}

/** The fields that select one document for a write: its key fields with their stored values. */
export function keyMatch(cls: ClassMeta, doc: StoredDocument): Record<string, StoredValue> {
  const match: Record<string, StoredValue> = {};
  for (const name of cls.key) match[name] = doc[name];
  return match;
}
