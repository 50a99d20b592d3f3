/**
 * Resolving one link attribute for many objects with ONE store query per (attribute definition):
 * the batched hop of the loading plan (ion-spec §2.6).
 * - reference: the targets whose key is one of the stored values;
 * - back reference / backRef collection: the targets whose `backRef` attribute holds the
 *   object's key (or its `binding` value); a back reference takes the first in storage order;
 * - id array / backColl: the targets whose key is in the stored arrays, each object's elements
 *   in storage order (not array order: ION fetches them with an "id in (…)" query).
 * Dangling links resolve to null (a collection drops them) with a warning.
 */
import type { PropertyMeta } from '../meta/index.ts';
import type { StoredValue } from '../store/port.ts';
import { idOfStored, isEmptyLink, keyField, keyQueryValues } from './keys.ts';
import type { LoadedObject } from './loaded-object.ts';
import type { LoadSession } from './session.ts';

/** Resolves `property` (a link) on every object of `objects` that does not have it yet. */
export async function loadLink(session: LoadSession, property: PropertyMeta, objects: readonly LoadedObject[]): Promise<void> {
  const link = property.link;
  const todo = objects.filter((o) => !o.links.has(property.name));
  if (!link || todo.length === 0) return;
  const target = link.target ? session.repo.classes.get(link.target) : undefined;
  if (!target) {
    for (const o of todo) {
      o.links.set(property.name, link.many ? [] : null);
      session.warn(o, property.name, `links to class ${link.targetAsWritten}, which is not in the meta`);
    }
    return;
  }
  switch (link.kind) {
    case 'reference':
      return loadReferences(session, property, todo);
    case 'backReference':
    case 'backRefCollection':
      return loadBackReferences(session, property, todo);
    case 'idArray':
    case 'backColl':
      return loadIdArrays(session, property, todo);
    case 'struct':
      for (const o of todo) o.links.set(property.name, null);
      return;
  }
}

async function findByIds(session: LoadSession, className: string, ids: Iterable<string>): Promise<Map<string, LoadedObject>> {
  const cls = session.repo.get(className);
  const values = keyQueryValues(cls, ids);
  const found = new Map<string, LoadedObject>();
  if (values.length === 0) return found;
  const docs = await session.store.findByField(cls.storage.collection, cls.storage.discriminators, keyField(cls), values);
  for (const doc of docs) {
    const object = session.adopt(doc, cls);
    if (object && !found.has(object.id)) found.set(object.id, object);
  }
  return found;
}

async function loadReferences(session: LoadSession, property: PropertyMeta, objects: readonly LoadedObject[]): Promise<void> {
  const ids = new Map<LoadedObject, string>();
  for (const o of objects) {
    const stored = o.doc[property.name];
    const id = idOfStored(stored);
    if (id === undefined) {
      if (!isEmptyLink(stored)) session.warn(o, property.name, `reference holds ${JSON.stringify(stored)}, not a key: read as null`);
      o.links.set(property.name, null);
    } else ids.set(o, id);
  }
  const found = await findByIds(session, property.link!.target!, ids.values());
  for (const [o, id] of ids) {
    const target = found.get(id) ?? null;
    if (!target) session.warn(o, property.name, `reference to ${property.link!.target}/${id}: no such object, read as null`);
    o.links.set(property.name, target);
  }
}

/** The value a back link's targets hold: the object's key value, or its `binding` attribute. */
function backLinkValue(o: LoadedObject, binding: string | undefined): StoredValue {
  if (binding) return o.doc[binding];
  return o.cls.key.length === 1 ? o.doc[keyField(o.cls)] : o.id;
}

async function loadBackReferences(session: LoadSession, property: PropertyMeta, objects: readonly LoadedObject[]): Promise<void> {
  const link = property.link!;
  const target = session.repo.get(link.target!);
  const many = link.kind === 'backRefCollection';
  const backRef = link.backRef ?? '';
  const values = new Map<LoadedObject, StoredValue>();
  for (const o of objects) {
    const value = backLinkValue(o, link.binding);
    if (isEmptyLink(value)) o.links.set(property.name, many ? [] : null);
    else values.set(o, value);
  }
  const distinct = [...new Map([...values.values()].map((v) => [`${typeof v}:${String(v)}`, v])).values()];
  const docs = distinct.length === 0 || !backRef ? [] : await session.store.findByField(target.storage.collection, target.storage.discriminators, backRef, distinct);
  const byValue = new Map<string, LoadedObject[]>();
  // An object holds one back-link value, so it belongs to one list: a set keeps this linear.
  const placed = new Set<LoadedObject>();
  for (const doc of docs) {
    const object = session.adopt(doc, target);
    if (!object || placed.has(object)) continue;
    placed.add(object);
    const key = `${typeof doc[backRef]}:${String(doc[backRef])}`;
    const list = byValue.get(key);
    if (list) list.push(object);
    else byValue.set(key, [object]);
  }
  for (const [o, value] of values) {
    const list = byValue.get(`${typeof value}:${String(value)}`) ?? [];
    o.links.set(property.name, many ? list : (list[0] ?? null));
  }
}

async function loadIdArrays(session: LoadSession, property: PropertyMeta, objects: readonly LoadedObject[]): Promise<void> {
  const wanted = new Map<LoadedObject, Set<string>>();
  for (const o of objects) {
    const stored = o.doc[property.name];
    const ids = new Set<string>();
    if (Array.isArray(stored)) {
      for (const element of stored) {
        const id = idOfStored(element);
        if (id !== undefined) ids.add(id);
        else if (!isEmptyLink(element)) session.warn(o, property.name, `collection element ${JSON.stringify(element)} is not a key: skipped`);
      }
    } else if (!isEmptyLink(stored)) {
      session.warn(o, property.name, `collection holds ${JSON.stringify(stored)}, not an array of keys: read as empty`);
    }
    wanted.set(o, ids);
  }
  const all = new Set<string>();
  for (const ids of wanted.values()) for (const id of ids) all.add(id);
  const found = await findByIds(session, property.link!.target!, all);
  // Storage order: the order the query returned them in (a position per id, so that many
  // objects each listing a few of many found ones cost their own lists, not the whole answer each).
  const position = new Map<string, number>();
  for (const id of found.keys()) position.set(id, position.size);
  for (const [o, ids] of wanted) {
    const items = [...ids].filter((id) => position.has(id)).sort((a, b) => position.get(a)! - position.get(b)!).map((id) => found.get(id)!);
    if (items.length < ids.size) {
      const missing = [...ids].filter((id) => !found.has(id));
      session.warn(o, property.name, `collection names missing objects ${missing.join(', ')}: skipped`);
    }
    o.links.set(property.name, items);
  }
}

