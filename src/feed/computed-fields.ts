/**
 * Recognising our own writes: a change that touches only computed (cached) fields was made by
 * the recompute itself, and feeding it back would recompute forever.
 */

/**
 * The computed field names: one set for every class, or a set per class name (the fields a
 * class declares `cached`, inherited ones included).
 */
export type ComputedFields = ReadonlySet<string> | ReadonlyMap<string, ReadonlySet<string>>;

const EMPTY: ReadonlySet<string> = new Set();

/** The computed fields of a class (`null`: unknown class → the union of all). */
export function computedFor(fields: ComputedFields, className: string | null): ReadonlySet<string> {
  if (!(fields instanceof Map)) return fields as ReadonlySet<string>;
  const byClass = fields as ReadonlyMap<string, ReadonlySet<string>>;
  if (className !== null) return byClass.get(className) ?? EMPTY;
  const all = new Set<string>();
  for (const set of byClass.values()) for (const field of set) all.add(field);
  return all;
}

/** True when every changed field is computed (and at least one field changed). */
export function touchesOnlyComputed(changedFields: readonly string[], computed: ReadonlySet<string>): boolean {
  return changedFields.length > 0 && changedFields.every((field) => computed.has(field));
}
