/**
 * Writes of the embedded store. Each batch is one SQLite transaction holding the document
 * writes and their journal rows, so a failure anywhere in the batch leaves neither.
 *
 * A document is changed by read-modify-write of its JSON: `set` replaces or appends fields,
 * `unset` removes them, every other field stays as it was (and where it was).
 */
import { StoreUsageError } from '../errors.ts';
import { checkField } from '../names.ts';
import type { BulkUpdate, DocumentTarget, NewDocument, StoredDocument, StoredValue } from '../port.ts';
import { valueKey, valuesEqual } from '../values.ts';
import { decodeDocument, encodeDocument, encodeJson, encodeValue } from './codec.ts';
import type { SqliteConnection } from './connection.ts';
import { appendJournal } from './journal.ts';
import { lookupExpression } from './reads.ts';
import { createDocumentTable, documentTable, quoteIdent } from './schema.ts';

function classOf(doc: StoredDocument): string | null {
  return typeof doc._class === 'string' ? doc._class : null;
}

function checkDocument(doc: unknown): StoredDocument {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StoreUsageError(`a document must be an object, got ${JSON.stringify(doc)}`);
  }
  return doc as StoredDocument;
}

function ensureTable(connection: SqliteConnection, collection: string): string {
  const table = documentTable(collection);
  if (!connection.exists(table)) createDocumentTable(connection.db, collection);
  return quoteIdent(table);
}

/**
 * The `keys` column of a document: the JSON text of its fields that have a scalar index (`indexed`,
 * the collection's, current in the write transaction), or `null` when it has none of them.
 * Encoded as in `doc`, so `json_extract` reads the same value from either column.
 */
function keysOf(doc: StoredDocument, indexed: readonly string[]): string | null {
  let keys: Record<string, unknown> | null = null;
  for (const field of indexed) {
    const value = doc[field];
    if (value === undefined) continue;
    (keys ??= {})[field] = encodeValue(value);
  }
  return keys && JSON.stringify(keys);
}

function appendDocument(connection: SqliteConnection, table: string, doc: StoredDocument, indexed: readonly string[]): void {
  connection.statement(`INSERT INTO ${table} (class, doc, keys) VALUES (?, jsonb(?), jsonb(?))`)
    .run(classOf(doc), encodeDocument(doc), keysOf(doc, indexed));
}

/** The first document (in storage order) whose fields equal `match` exactly, with its row number. */
function findTarget(
  connection: SqliteConnection, collection: string, table: string, match: Readonly<Record<string, StoredValue>>,
): { row: number; doc: StoredDocument } | undefined {
  const entries = Object.entries(match);
  if (entries.length === 0) throw new StoreUsageError('a write needs at least one field to match');
  const params: unknown[] = [];
  const where = entries.map(([field, value]) => {
    const expr = lookupExpression(connection, collection, checkField(field));
    if (value === null || value === undefined) return `${expr} IS NULL`;
    params.push(encodeJson(value));
    return `${expr} = json_extract(?, '$')`;
  });
  const sql = `SELECT rowid AS row, json(doc) AS doc FROM ${table} WHERE ${where.join(' AND ')} ORDER BY rowid`;
  for (const row of connection.statement(sql).iterate(...params) as Iterable<{ row: number; doc: string }>) {
    const doc = decodeDocument(row.doc);
    if (entries.every(([field, value]) => valuesEqual(doc[field], value))) return { row: row.row, doc };
  }
  return undefined;
}

interface Edit { readonly set?: Readonly<Record<string, StoredValue>>; readonly unset?: readonly string[] }

/** Applies set/unset to a copy of `doc`; returns the new document, the fields that really changed and their old values. */
function applyEdit(doc: StoredDocument, edit: Edit): { next: StoredDocument; changed: string[]; old: StoredDocument } {
  const next: StoredDocument = { ...doc };
  const changed: string[] = [];
  const old: StoredDocument = {};
  for (const [field, value] of Object.entries(edit.set ?? {})) {
    checkField(field);
    if (value === undefined) continue;
    if (field in doc && encodeJson(doc[field]) === encodeJson(value)) continue;
    changed.push(field);
    old[field] = doc[field] ?? null;
    next[field] = value;
  }
  for (const field of edit.unset ?? []) {
    checkField(field);
    if (!(field in next)) continue;
    if (!changed.includes(field)) { changed.push(field); old[field] = doc[field] ?? null; }
    delete next[field];
  }
  return { next, changed, old };
}

function now(): string {
  return new Date().toISOString();
}

/** Application inserts, journaled. */
export function insertDocuments(connection: SqliteConnection, collection: string, documents: readonly NewDocument[]): void {
  connection.write(() => {
    const table = ensureTable(connection, collection);
    const indexed = connection.indexedFields(collection);
    const time = now();
    for (const { id, doc } of documents) {
      checkDocument(doc);
      const className = classOf(doc);
      if (className === null) throw new StoreUsageError(`document ${id} of ${collection} has no string _class`);
      appendDocument(connection, table, doc, indexed);
      appendJournal(connection, time, {
        collection, className, id, op: 'insert', changedFields: Object.keys(doc), oldValues: {}, computed: false,
      });
    }
  });
}

/** Bulk load without journal. */
export function loadDocuments(connection: SqliteConnection, collection: string, documents: readonly StoredDocument[]): void {
  connection.write(() => {
    const table = ensureTable(connection, collection);
    const indexed = connection.indexedFields(collection);
    for (const doc of documents) appendDocument(connection, table, checkDocument(doc), indexed);
  });
}

type TargetEdit = Edit & { readonly id: string; readonly match: Readonly<Record<string, StoredValue>> };

/**
 * Finds the targets of a whole batch in one query when every edit matches on the same single
 * field and none rewrites that field (the recompute's case: match by key, set computed fields).
 * Returns `undefined` when the batch does not have that shape.
 */
function prefetchTargets(
  connection: SqliteConnection, collection: string, table: string, edits: readonly TargetEdit[],
): Map<string, { row: number; doc: StoredDocument }> | undefined {
  const field = edits.length > 1 ? Object.keys(edits[0]!.match)[0] : undefined;
  if (field === undefined) return undefined;
  const keys: StoredValue[] = [];
  for (const edit of edits) {
    const entries = Object.entries(edit.match);
    if (entries.length !== 1 || entries[0]![0] !== field || valueKey(entries[0]![1]) === undefined) return undefined;
    if ((edit.set && field in edit.set) || edit.unset?.includes(field)) return undefined;
    keys.push(entries[0]![1]);
  }
  const expr = lookupExpression(connection, collection, checkField(field));
  const present = keys.filter((v) => v !== null && v !== undefined);
  const orNull = present.length < keys.length ? ` OR ${expr} IS NULL` : '';
  const sql = `SELECT rowid AS row, json(doc) AS doc FROM ${table} WHERE (${expr} IN (SELECT value FROM json_each(?))${orNull}) ORDER BY rowid`;
  const rows = connection.statement(sql).all(JSON.stringify(present.map(encodeValue))) as { row: number; doc: string }[];
  const targets = new Map<string, { row: number; doc: StoredDocument }>();
  for (const row of rows) {
    const doc = decodeDocument(row.doc);
    const key = valueKey(doc[field]);
    if (key !== undefined && !targets.has(key)) targets.set(key, { row: row.row, doc });
  }
  return targets;
}

/**
 * The changed fields as a JSON merge patch (RFC 7396), when a patch means exactly "set these
 * fields": no field removed, and no value null (a patch would remove it) or an object (a patch
 * would merge into it). SQLite then edits the stored JSONB in place instead of parsing a whole
 * re-encoded document — the common recompute write (numbers, strings, arrays). Otherwise
 * `undefined`: the whole document is written.
 */
function mergePatch(next: StoredDocument, changed: readonly string[], edit: Edit): string | undefined {
  if (edit.unset?.some((field) => changed.includes(field))) return undefined;
  const patch: Record<string, unknown> = {};
  for (const field of changed) {
    const value = encodeValue(next[field]);
    if (value === null || (typeof value === 'object' && !Array.isArray(value))) return undefined;
    patch[field] = value;
  }
  return JSON.stringify(patch);
}

/** Edits (application or computed); returns how many documents changed. */
export function editDocuments(
  connection: SqliteConnection, collection: string, edits: readonly TargetEdit[],
  journal: { readonly enabled: boolean; readonly computed: boolean },
): number {
  const tableName = documentTable(collection);
  if (!connection.exists(tableName)) return 0;
  const table = quoteIdent(tableName);
  return connection.write(() => {
    const time = now();
    const indexed = connection.indexedFields(collection);
    const prefetched = prefetchTargets(connection, collection, table, edits);
    const current = new Map<number, StoredDocument>(); // documents already edited in this batch
    let count = 0;
    for (const edit of edits) {
      const target = prefetched
        ? prefetched.get(valueKey(Object.values(edit.match)[0])!)
        : findTarget(connection, collection, table, edit.match);
      if (!target) continue;
      const { next, changed, old } = applyEdit(current.get(target.row) ?? target.doc, edit);
      if (changed.length === 0) continue;
      const before = current.get(target.row) ?? target.doc;
      const patch = mergePatch(next, changed, edit);
      // SQLite updates an index only when a column it reads is in the SET list: `class` and `keys`
      // are left out unless they change, so a computed write (no key field) touches no index.
      if (classOf(next) !== classOf(before)) {
        connection.statement(`UPDATE ${table} SET class = ?, doc = jsonb(?), keys = jsonb(?) WHERE rowid = ?`)
          .run(classOf(next), encodeDocument(next), keysOf(next, indexed), target.row);
      } else if (changed.some((field) => indexed.includes(field))) {
        connection.statement(`UPDATE ${table} SET doc = jsonb(?), keys = jsonb(?) WHERE rowid = ?`)
          .run(encodeDocument(next), keysOf(next, indexed), target.row);
      } else if (patch !== undefined) {
        connection.statement(`UPDATE ${table} SET doc = jsonb_patch(doc, jsonb(?)) WHERE rowid = ?`).run(patch, target.row);
      } else {
        connection.statement(`UPDATE ${table} SET doc = jsonb(?) WHERE rowid = ?`).run(encodeDocument(next), target.row);
      }
      current.set(target.row, next);
      count++;
      if (!journal.enabled) continue;
      appendJournal(connection, time, {
        collection, className: classOf(next), id: edit.id, op: 'update', changedFields: changed, oldValues: old, computed: journal.computed,
      });
    }
    return count;
  });
}

/** Application deletes, journaled with the whole old document; returns how many were deleted. */
export function deleteDocuments(connection: SqliteConnection, collection: string, targets: readonly DocumentTarget[]): number {
  const tableName = documentTable(collection);
  if (!connection.exists(tableName)) return 0;
  const table = quoteIdent(tableName);
  return connection.write(() => {
    const time = now();
    let count = 0;
    for (const { id, match } of targets) {
      const target = findTarget(connection, collection, table, match);
      if (!target) continue;
      connection.statement(`DELETE FROM ${table} WHERE rowid = ?`).run(target.row);
      count++;
      appendJournal(connection, time, {
        collection, className: classOf(target.doc), id, op: 'delete',
        changedFields: Object.keys(target.doc), oldValues: target.doc, computed: false,
      });
    }
    return count;
  });
}

/** The journal id of a bulk update: its own, or the match values joined by `_` (ION's id rule). */
export function bulkUpdateId(update: BulkUpdate): string {
  return update.id ?? Object.values(update.match).map((v) => (v instanceof Date ? v.toISOString() : String(v))).join('_');
}

