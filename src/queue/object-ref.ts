/**
 * The unit of work of the queue: one object of one class. The queue knows nothing else about
 * objects — not their collection, their keys or their formulas.
 */

/** One object to recompute: its class name and its ION id (key values joined by `_`). */
export interface ObjectRef {
  /** The class name as the meta declares it (`_class` in storage). */
  readonly className: string;
  /** The ION object id. */
  readonly id: string;
}

/**
 * The deduplication key of an object: `class:id`. Class names cannot contain `:` in ION meta,
 * so splitting at the first `:` recovers the parts even when the id contains one.
 */
export function refKey(ref: ObjectRef): string {
  return `${ref.className}:${ref.id}`;
}

/** The inverse of {@link refKey}. */
export function parseRefKey(key: string): ObjectRef {
  const colon = key.indexOf(':');
  if (colon <= 0) throw new TypeError(`not an object key (class:id): ${JSON.stringify(key)}`);
  return { className: key.slice(0, colon), id: key.slice(colon + 1) };
}

/** The refs without repeats, first occurrence kept, order preserved. */
export function uniqueRefs(refs: Iterable<ObjectRef>): ObjectRef[] {
  const seen = new Set<string>();
  const out: ObjectRef[] = [];
  for (const ref of refs) {
    const key = refKey(ref);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ className: ref.className, id: ref.id });
  }
  return out;
}

/** Checks a value received from outside (a job's data, an HTTP body) is an {@link ObjectRef}. */
export function isObjectRef(value: unknown): value is ObjectRef {
  if (typeof value !== 'object' || value === null) return false;
  const { className, id } = value as Record<string, unknown>;
  return typeof className === 'string' && className.length > 0 && !className.includes(':') && typeof id === 'string';
}
