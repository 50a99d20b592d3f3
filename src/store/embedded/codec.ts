/**
 * How the embedded store writes documents into SQLite (as JSON text, stored by SQLite as JSONB): plain JSON, with the values JSON
 * cannot hold wrapped the way Extended JSON wraps them, so that `json_extract` still sees a
 * stable text for each value and dates survive the round trip.
 *   Date → `{"$date": ISO}` (an invalid date → `{"$date": "Invalid Date"}`)
 *   NaN, ±Infinity → `{"$numberDouble": "NaN" | "Infinity" | "-Infinity"}`
 *   BSON values (ObjectId, Long, Decimal128, Binary…) → canonical Extended JSON (`{"$oid": …}`…)
 */
import { EJSON } from 'bson';
import type { StoredDocument, StoredValue } from '../port.ts';

/** Converts a stored value into its JSON-safe form (see the module comment). */
export function encodeValue(value: StoredValue): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string': case 'boolean': return value;
    case 'number': return Number.isFinite(value) ? value : { $numberDouble: String(value) };
    case 'bigint': return { $numberLong: value.toString() };
    case 'object': break;
    default: return null; // functions and symbols have no stored form; JSON would drop them too
  }
  if (value instanceof Date) {
    const time = value.getTime();
    return { $date: Number.isNaN(time) ? 'Invalid Date' : value.toISOString() };
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  if ('_bsontype' in value) return EJSON.serialize(value, { relaxed: false });
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v !== undefined) out[key] = encodeValue(v);
  }
  return out;
}

/** The inverse of {@link encodeValue}. */
export function decodeValue(value: unknown): StoredValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const record = value as Record<string, unknown>;
  const date = record.$date;
  if (date !== undefined) {
    if (typeof date === 'string') return new Date(date === 'Invalid Date' ? Number.NaN : date);
    return EJSON.deserialize(record, { relaxed: false });
  }
  if (typeof record.$numberDouble === 'string') return Number(record.$numberDouble);
  const keys = Object.keys(record);
  if (keys.length > 0 && keys[0]!.startsWith('$')) return EJSON.deserialize(record, { relaxed: false });
  for (const key of keys) record[key] = decodeValue(record[key]);
  return record;
}

/** A document as the JSON text stored in SQLite. */
export function encodeDocument(doc: StoredDocument): string {
  return JSON.stringify(encodeValue(doc));
}

/** A document back from its stored JSON text. */
export function decodeDocument(text: string): StoredDocument {
  // Wrapped values are objects whose keys start with `$`, so text without `"$` holds none and the
  // walk can be skipped (most documents: a fifth of a rebuild's decoding time was that walk).
  if (!text.includes('"$')) return JSON.parse(text) as StoredDocument;
  return decodeValue(JSON.parse(text)) as StoredDocument;
}

/** The JSON text SQLite's `json_extract` / `json_each` yields for a value, for binding in comparisons. */
export function encodeJson(value: StoredValue): string {
  return JSON.stringify(encodeValue(value));
}
