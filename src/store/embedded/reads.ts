/**
 * Lookups of the embedded store. SQL narrows the candidates through the indexes (the expression
 * index of a scalar field, the side table of an array field, the class index); the final test is
 * always the exact MongoDB-style comparison in JS, because SQLite's own comparison confuses
 * `true` with 1 and cannot tell an array's text from a string.
 */
import { accumulate } from '../accumulate.ts';
import { documentMatches, parseFilter, type Condition } from '../filter.ts';
import type { AggregateFunction, AggregateResult, ClassFilter, Filter, StoredDocument, StoredValue } from '../port.ts';
import { kindOf, ValueSet } from '../values.ts';
import { decodeDocument, encodeValue } from './codec.ts';
import type { SqliteConnection } from './connection.ts';
import { arrayTableName, documentTable, fieldExpression, fieldPath, quoteIdent } from './schema.ts';

type Row = { doc: string };

/**
 * The SQL reading `field` of a collection's documents in a lookup: through its expression index
 * (on `keys`) when the field has one, else from `doc` (a scan).
 */
export function lookupExpression(connection: SqliteConnection, collection: string, field: string): string {
  return fieldExpression(field, connection.hasScalarIndex(collection, field));
}

// `class IN (…)` over a JSON array parameter, or nothing when every class is wanted.
function classClause(classes: ClassFilter, params: unknown[]): string {
  if (classes === null) return '';
  params.push(JSON.stringify(classes));
  return ' AND class IN (SELECT value FROM json_each(?))';
}

function valuesParameter(values: readonly StoredValue[]): string {
  return JSON.stringify(values.filter((v) => v !== null && v !== undefined).map(encodeValue));
}

function run(connection: SqliteConnection, sql: string, params: unknown[]): StoredDocument[] {
  return (connection.statement(sql).all(...params) as Row[]).map((row) => decodeDocument(row.doc));
}

const matchesOne = (values: readonly StoredValue[]) => {
  const set = new ValueSet(values);
  return (v: StoredValue) => set.has(v);
};

/** See `StorePort.findByField`. */
export function findByField(
  connection: SqliteConnection, collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[],
): StoredDocument[] {
  const table = documentTable(collection);
  if (values.length === 0 || classes?.length === 0 || !connection.exists(table)) return [];
  const expr = lookupExpression(connection, collection, field);
  const params: unknown[] = [valuesParameter(values)];
  const orNull = values.some((v) => v === null || v === undefined) ? ` OR ${expr} IS NULL` : '';
  const sql = `SELECT json(doc) AS doc FROM ${quoteIdent(table)} WHERE (${expr} IN (SELECT value FROM json_each(?))${orNull})`
    + `${classClause(classes, params)} ORDER BY rowid`;
  const wanted = matchesOne(values);
  return run(connection, sql, params).filter((doc) => !Array.isArray(doc[field]) && wanted(doc[field]));
}

/** See `StorePort.findByArrayMember`. Uses the side table when the field has an array index, else scans. */
export function findByArrayMember(
  connection: SqliteConnection, collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[],
): StoredDocument[] {
  const table = documentTable(collection);
  if (values.length === 0 || classes?.length === 0 || !connection.exists(table)) return [];
  const side = arrayTableName(collection, field);
  const params: unknown[] = [valuesParameter(values)];
  const path = fieldPath(field);
  const members = connection.exists(side)
    ? `rowid IN (SELECT row FROM ${quoteIdent(side)} WHERE value IN (SELECT value FROM json_each(?)))`
    : `json_type(doc, ${path}) = 'array' AND EXISTS (SELECT 1 FROM json_each(doc, ${path}) e
         WHERE e.value IN (SELECT value FROM json_each(?)))`;
  const sql = `SELECT json(doc) AS doc FROM ${quoteIdent(table)} WHERE ${members}${classClause(classes, params)} ORDER BY rowid`;
  const wanted = matchesOne(values.filter((v) => v !== null && v !== undefined)); // null is no member, as in MongoDB's query here
  return run(connection, sql, params).filter((doc) => {
    const array = doc[field];
    return Array.isArray(array) && array.some(wanted);
  });
}

// An equality on an indexed field narrows the scan; fields indexed as scalars are taken to hold
// scalars, and the side table of an array field adds the documents whose array holds the value.
function narrowingClause(connection: SqliteConnection, collection: string, conditions: readonly Condition[], params: unknown[]): string {
  for (const { field, op, value } of conditions) {
    const kind = kindOf(value);
    if (op !== 'eq' || kind === 'null' || kind === 'array' || kind === 'object') continue;
    const scalar = connection.hasScalarIndex(collection, field);
    const side = arrayTableName(collection, field);
    const array = connection.exists(side);
    if (!scalar && !array) continue;
    const parts: string[] = [];
    const json = JSON.stringify(encodeValue(value));
    if (scalar) { parts.push(`${fieldExpression(field, true)} = json_extract(?, '$')`); params.push(json); }
    if (array) { parts.push(`rowid IN (SELECT row FROM ${quoteIdent(side)} WHERE value = json_extract(?, '$'))`); params.push(json); }
    return ` AND (${parts.join(' OR ')})`;
  }
  return '';
}

/** See `StorePort.findByFilter`: SQL narrows by class and one indexed equality, JS applies the whole filter. */
export function findByFilter(
  connection: SqliteConnection, collection: string, classes: ClassFilter, filter: Filter, limit = Infinity,
): StoredDocument[] {
  const conditions = parseFilter(filter);
  const table = documentTable(collection);
  if (classes?.length === 0 || limit <= 0 || !connection.exists(table)) return [];
  const params: unknown[] = [];
  const byClass = classClause(classes, params); // parameters in the order of the SQL text
  const narrowing = narrowingClause(connection, collection, conditions, params);
  const sql = `SELECT json(doc) AS doc FROM ${quoteIdent(table)} WHERE 1${byClass}${narrowing} ORDER BY rowid`;
  const found: StoredDocument[] = [];
  for (const row of connection.statement(sql).iterate(...params) as Iterable<Row>) {
    const doc = decodeDocument(row.doc);
    if (!documentMatches(doc, conditions)) continue;
    found.push(doc);
    if (found.length >= limit) break;
  }
  return found;
}

/** See `StorePort.aggregate`. */
export function aggregate(
  connection: SqliteConnection, collection: string, classes: ClassFilter, filter: Filter, fn: AggregateFunction, field: string,
): AggregateResult | null {
  return accumulate(findByFilter(connection, collection, classes, filter), fn, field);
}

/** One page of a scan: documents after `afterRow`, with the row number to continue from. */
export function scanPage(
  connection: SqliteConnection, collection: string, classes: ClassFilter, afterRow: number, limit: number,
): { docs: StoredDocument[]; lastRow: number } {
  const table = documentTable(collection);
  if (classes?.length === 0 || !connection.exists(table)) return { docs: [], lastRow: afterRow };
  const params: unknown[] = [afterRow];
  const sql = `SELECT rowid AS row, json(doc) AS doc FROM ${quoteIdent(table)} WHERE rowid > ?${classClause(classes, params)} ORDER BY rowid LIMIT ?`;
  params.push(limit);
  const rows = connection.statement(sql).all(...params) as { row: number; doc: string }[];
  return { docs: rows.map((row) => decodeDocument(row.doc)), lastRow: rows.at(-1)?.row ?? afterRow };
}
