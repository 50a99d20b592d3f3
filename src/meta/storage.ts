/**
 * Object ids and collection filters of the MongoDB layout (ion-spec §2.5): an id is the key
 * values joined by `_` (always a string); a query for a class matches `_class` of the class and
 * of every descendant, in the collection of its root class.
 */
import type { ClassMeta } from './model.ts';
import { PropertyType } from './property-types.ts';

/** Separator between the values of a composite key (ION's default `keySeparators`). */
export const KEY_SEPARATOR = '_';

/** The id of a stored document of `cls`: its key values joined by `_`, `undefined` when a key value is missing. */
export function objectId(cls: ClassMeta, document: Readonly<Record<string, unknown>>): string | undefined {
  const parts: string[] = [];
  for (const name of cls.key) {
    const value = document[name];
    if (value === undefined || value === null || value === '') return undefined;
    parts.push(value instanceof Date ? value.toISOString() : String(value));
  }
  return parts.length > 0 ? parts.join(KEY_SEPARATOR) : undefined;
}

/**
 * The key values of an id, each cast to its key attribute's type (numbers for INT/REAL/DECIMAL).
 * A single key takes the whole id, separators included.
 */
export function keyValues(cls: ClassMeta, id: string): Record<string, unknown> {
  const parts = cls.key.length === 1 ? [id] : id.split(KEY_SEPARATOR);
  const values: Record<string, unknown> = {};
  cls.key.forEach((name, i) => {
    const raw = parts[i] ?? '';
    const type = cls.propertyByName.get(name)?.type;
    const numeric = type === PropertyType.INT || type === PropertyType.REAL || type === PropertyType.DECIMAL;
    values[name] = numeric && raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  });
  return values;
}

/** The `_class` filter of a query for objects of `cls` (itself and its descendants, unless `exact`). */
export function classFilter(cls: ClassMeta, exact = false): { _class: string | { $in: string[] } } {
  return exact || cls.storage.discriminators.length === 1 ? { _class: cls.canonicalName } : { _class: { $in: [...cls.storage.discriminators] } };
}
