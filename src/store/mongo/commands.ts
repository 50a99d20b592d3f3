/**
 * Every query, update, pipeline and index document the MongoDB adapter sends, built by pure
 * functions so that they are unit-tested without a server. The adapter only passes them on.
 */
import type { AnyBulkWriteOperation, Document, IndexDescription } from 'mongodb';
import { checkAggregateFunction } from '../accumulate.ts';
import { parseFilter, type Condition } from '../filter.ts';
import { checkField } from '../names.ts';
import type { AggregateFunction, BulkUpdate, ClassFilter, DocumentChange, Filter, StoredValue } from '../port.ts';

/** Storage order: ION documents get client-generated ObjectIds, so `_id` order is insertion order. */
export const STORAGE_ORDER = { _id: 1 } as const;

/** The discriminator condition: `{_class: {$in: classes}}`, or none for every class. */
export function classQuery(classes: ClassFilter): Document {
  return classes === null ? {} : { _class: { $in: [...classes] } };
}

// Combines field conditions with the class condition; `$and` only when both constrain `_class`.
function withClasses(classes: ClassFilter, conditions: Document): Document {
  const byClass = classQuery(classes);
  if ('_class' in byClass && '_class' in conditions) return { $and: [byClass, conditions] };
  return { ...byClass, ...conditions };
}

/** The query of a scan: the class condition, and after an interruption only what follows the last `_id` read. */
export function scanQuery(classes: ClassFilter, afterId?: unknown): Document {
  return afterId === undefined ? classQuery(classes) : { ...classQuery(classes), _id: { $gt: afterId } };
}

/** `findByField`: the field equals one of the values and is not an array (arrays belong to `findByArrayMember`). */
export function fieldQuery(classes: ClassFilter, field: string, values: readonly StoredValue[]): Document {
  return withClasses(classes, { [checkField(field)]: { $in: [...values], $not: { $type: 'array' } } });
}

/** `findByArrayMember`: the field is an array holding one of the values. */
export function arrayMemberQuery(classes: ClassFilter, field: string, values: readonly StoredValue[]): Document {
  const present = values.filter((v) => v !== null && v !== undefined);
  return withClasses(classes, { [checkField(field)]: { $in: present, $type: 'array' } });
}

const OPERATOR: Record<Condition['op'], string> = {
  eq: '$eq', ne: '$ne', gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte', in: '$in', nin: '$nin',
};

/** A class-form filter as a MongoDB query; equality goes through `$eq` so a document value is never read as operators. */
export function filterQuery(classes: ClassFilter, filter: Filter): Document {
  const conditions: Document = {};
  for (const { field, op, value } of parseFilter(filter)) conditions[field] = { [OPERATOR[op]]: value };
  return withClasses(classes, conditions);
}

function accumulator(fn: AggregateFunction, field: string): Document {
  const path = `$${checkField(field)}`;
  switch (fn) {
    case 'count': return { $sum: 1 };
    case 'sum': return { $sum: path };
    case 'avg': return { $avg: path };
    case 'max': return { $max: path };
    case 'min': return { $min: path };
    case 'merge': return { $push: path };
  }
}

/**
 * The pipeline of a class-form aggregation: `$match`, then one `$group` row `{value, matched}`
 * (no row when nothing matched). `merge` sorts into storage order first and drops nulls after.
 */
export function aggregatePipeline(classes: ClassFilter, filter: Filter, fn: AggregateFunction, field: string): Document[] {
  checkAggregateFunction(fn);
  const pipeline: Document[] = [{ $match: filterQuery(classes, filter) }];
  if (fn === 'merge') pipeline.push({ $sort: STORAGE_ORDER });
  pipeline.push({ $group: { _id: null, value: accumulator(fn, field), matched: { $sum: 1 } } });
  if (fn === 'merge') {
    pipeline.push({ $project: { _id: 0, matched: 1, value: { $filter: { input: '$value', cond: { $ne: ['$$this', null] } } } } });
  }
  return pipeline;
}

/** A key match as a query (`$eq` per field). */
export function matchQuery(match: Readonly<Record<string, StoredValue>>): Document {
  return Object.fromEntries(Object.entries(match).map(([field, value]) => [checkField(field), { $eq: value }]));
}

/** The update document of a set/unset edit, or `null` when it changes nothing. */
export function updateDocument(set: Readonly<Record<string, StoredValue>> = {}, unset: readonly string[] = []): Document | null {
  const update: Document = {};
  const toSet = Object.entries(set).filter(([, v]) => v !== undefined);
  if (toSet.length > 0) update.$set = Object.fromEntries(toSet.map(([field, v]) => [checkField(field), v]));
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [checkField(field), '']));
  return toSet.length > 0 || unset.length > 0 ? update : null;
}

/** The `bulkWrite` operations of `bulkSet` / `update`: one `updateOne` per document that has something to write. */
export function updateOperations(updates: readonly (BulkUpdate | DocumentChange)[]): AnyBulkWriteOperation[] {
  return updates.flatMap((u) => {
    const update = updateDocument(u.set, u.unset);
    return update ? [{ updateOne: { filter: matchQuery(u.match), update } }] : [];
  });
}

/** The name the adapter gives the index of a field. */
export function indexName(field: string): string {
  return `recalc_${checkField(field)}`;
}

/** The index descriptions of reverse-lookup fields (an array field gets a multikey index from the same description). */
export function indexDescriptions(fields: readonly string[]): IndexDescription[] {
  return fields.map((field) => ({ key: { [checkField(field)]: 1 }, name: indexName(field) }));
}

/** What `listIndexes` reports of an existing index (the fields the adapter reads). */
export interface ExistingIndex {
  readonly key: Document;
  readonly name?: string;
  readonly sparse?: boolean;
  readonly partialFilterExpression?: Document;
}

/**
 * The lookup indexes still to create: a field is skipped when an index with the same key pattern
 * exists under any name (ION creates `{ref: 1}` as `ref_1`; asking for it again under another name
 * fails with IndexOptionsConflict, code 85), or when an ascending/descending index that is neither
 * sparse nor partial starts with the field (it serves the same lookups).
 */
export function missingIndexDescriptions(existing: readonly ExistingIndex[], fields: readonly string[]): IndexDescription[] {
  const covered = (field: string): boolean => existing.some((index) => {
    const keys = Object.entries(index.key);
    const [first] = keys;
    if (!first || first[0] !== field || (first[1] !== 1 && first[1] !== -1)) return false;
    return keys.length === 1 || (index.sparse !== true && index.partialFilterExpression === undefined);
  });
  return indexDescriptions(fields.filter((field) => !covered(checkField(field))));
}

/** The discriminator index ION itself creates on root collections. */
export const CLASS_INDEX: IndexDescription = { key: { _class: 1 }, name: 'recalc__class' };

/** The collection holding checkpoints (`{_id: name, value}`) unless configured otherwise. */
export const DEFAULT_CHECKPOINT_COLLECTION = 'recalc_checkpoints';

/** The upsert storing a checkpoint: filter and update. */
export function checkpointUpsert(name: string, value: string): { filter: Document; update: Document } {
  return { filter: { _id: name }, update: { $set: { value } } };
}
