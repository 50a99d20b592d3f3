/**
 * A store view that answers a repeated lookup from memory: used while finding dependants (which
 * only reads), so that the declared `cacheDependencies` walk does not run again a query that an
 * inferred reverse step has just run (a product's `lines` are the order lines whose `product`
 * is its key: the same `findByField`). Exact repeats only — same method, collection, classes,
 * field and set of values (scalars) — so an answer is the one the store would give; never kept
 * across a write.
 */
import type { ClassFilter, StoredDocument, StorePort, StoredValue } from '../store/port.ts';

type Lookup = 'findByField' | 'findByArrayMember';

/** The key of a lookup, or undefined when a value is not a scalar (those always go to the store). */
function lookupKey(method: Lookup, collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): string | undefined {
  const distinct = new Set<string>();
  for (const v of values) {
    if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    distinct.add(`${v === null ? 'null' : typeof v}:${String(v)}`);
  }
  return JSON.stringify([method, collection, classes ? [...classes].sort() : null, field, [...distinct].sort()]);
}

/** `store`, with `findByField` and `findByArrayMember` answered once per distinct lookup. */
export function memoizedReads(store: StorePort): StorePort {
  const answers = new Map<string, Promise<StoredDocument[]>>();
  const memo = (method: Lookup) => (collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]> => {
    const key = lookupKey(method, collection, classes, field, values);
    if (key === undefined) return store[method](collection, classes, field, values);
    let answer = answers.get(key);
    if (!answer) answers.set(key, (answer = store[method](collection, classes, field, values)));
    // Callers may keep or extend the list they get: each gets its own.
    return answer.then((docs) => docs.slice());
  };
  const findByField = memo('findByField');
  const findByArrayMember = memo('findByArrayMember');
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'findByField') return findByField;
      if (name === 'findByArrayMember') return findByArrayMember;
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
