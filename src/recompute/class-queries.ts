/**
 * Class-form functions answered from the store for a session (ion-spec §1.7): aggregations
 * (`count("cls", "attr", obj(...))`, one query per distinct request) and `get(class, …)` look-ups.
 * Filter values that are objects become their stored key. ION's class-form `min` (computing max)
 * and `merge` (computing sum) bugs are not reproduced: the store's faithful answer is used, and
 * `merge` joins the values with spaces.
 */
import type { ClassAggregateRequest, FindOneRequest } from '../formula/graph.ts';
import type { ClassMeta } from '../meta/index.ts';
import type { StoredValue } from '../store/port.ts';
import { keyField } from './keys.ts';
import { LoadedObject } from './loaded-object.ts';
import type { LoadSession } from './session.ts';

function resolveClass(session: LoadSession, name: string, namespace: string): ClassMeta {
  const cls = session.repo.find(name, namespace) ?? session.repo.find(name);
  if (!cls) throw new Error(`class ${name} is not in the meta`);
  return cls;
}

function storedFilterValue(value: unknown): StoredValue {
  if (value instanceof LoadedObject) return value.cls.key.length === 1 ? value.doc[keyField(value.cls)] : value.id;
  if (Array.isArray(value)) return value.map(storedFilterValue);
  return value === undefined ? null : value;
}

/** A class-form aggregation on the store (ION's `$group` request); no matching document → 0. */
export async function classAggregate(session: LoadSession, request: ClassAggregateRequest, namespace: string): Promise<unknown> {
  const cls = resolveClass(session, request.className, namespace);
  const filter: Record<string, StoredValue> = {};
  for (const [field, condition] of Object.entries(request.filter)) filter[field] = storedFilterValue(condition);
  const field = request.attribute ?? keyField(cls);
  const result = await session.store.aggregate(cls.storage.collection, cls.storage.discriminators, filter, request.fn, field);
  if (!result) return 0;
  // The store answers `merge` with the values; the class form joins them with spaces.
  if (request.fn === 'merge' && Array.isArray(result.value)) {
    return result.value.filter((v) => v !== '' && v !== null && v !== undefined).map(String).join(' ');
  }
  return result.value;
}

/** Values a loose `==` with `value` may match in a type-strict store query. */
function looseCandidates(value: unknown): StoredValue[] {
  if (value instanceof LoadedObject) return [value.id];
  if (typeof value === 'number') return [value, String(value)];
  if (typeof value === 'string') {
    const n = Number(value);
    return value.trim() !== '' && !Number.isNaN(n) ? [value, n] : [value];
  }
  if (typeof value === 'boolean') return [value, Number(value), String(Number(value))];
  return [value as StoredValue];
}


/** `get(class, id)` or `get(class, a1, v1, …)`: the first object in storage order; ION compares with `==`. */
export async function findOne(session: LoadSession, request: FindOneRequest, namespace: string): Promise<LoadedObject | null> {
  const cls = resolveClass(session, request.className, namespace);
  if (request.id !== undefined) return (await session.loadObjects(cls, [request.id])).get(request.id) ?? null;
  const criteria = Object.entries(request.criteria ?? {});
  if (criteria.length === 0) return null;
  const [field, value] = criteria[0]!;
  const docs = await session.store.findByField(cls.storage.collection, cls.storage.discriminators, field, looseCandidates(value));
  for (const doc of docs) {
    // eslint-disable-next-line eqeqeq
    if (criteria.every(([k, v]) => doc[k] == (v instanceof LoadedObject ? v.id : v))) return session.adopt(doc, cls);
  }
  return null;
}
