/**
 * The SQLite schema of the embedded store. One table per collection, documents as SQLite JSONB
 * (binary JSON: `json_extract` reads it without re-parsing, which keeps index upkeep cheap):
 *
 *   "doc:<collection>" (rowid INTEGER PRIMARY KEY, class TEXT, doc BLOB)   rowid = storage order
 *   "cls:<collection>" index on class (the `_class` of the document, copied out for filtering)
 *   "ix:<collection>:<field>"  expression index on json_extract(doc, '$."<field>"')   (scalar lookups)
 *   "arr:<collection>:<field>" (value, row)  the elements of an array field, kept by triggers   (membership)
 *   store_journal      the change feed, written in the transaction of each change
 *   store_checkpoints  name → value (feed positions)
 *
 * Names are spliced into SQL, so they are validated (`names.ts`) and quoted here.
 */
import type Database from 'better-sqlite3';
import { checkCollection, checkField } from '../names.ts';

/** Quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal. */
export function quoteText(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export const JOURNAL_TABLE = 'store_journal';
export const CHECKPOINT_TABLE = 'store_checkpoints';
const DOC_PREFIX = 'doc:';

/** The table holding a collection's documents. */
export function documentTable(collection: string): string {
  return DOC_PREFIX + checkCollection(collection);
}

/** The collection a document table belongs to, or `null` for another table. */
export function collectionOfTable(table: string): string | null {
  return table.startsWith(DOC_PREFIX) ? table.slice(DOC_PREFIX.length) : null;
}

/** The expression index of a scalar field. */
export function scalarIndexName(collection: string, field: string): string {
  return `ix:${checkCollection(collection)}:${checkField(field)}`;
}

/** The side table of an array field. */
export function arrayTableName(collection: string, field: string): string {
  return `arr:${checkCollection(collection)}:${checkField(field)}`;
}

/**
 * The SQL expression reading a field. Index and queries must use exactly this text for SQLite to
 * match the expression index, so it is only ever built here.
 */
export function fieldExpression(field: string, tableAlias?: string): string {
  const column = tableAlias ? `${tableAlias}.doc` : 'doc';
  return `json_extract(${column}, ${quoteText(`$."${checkField(field)}"`)})`;
}

/** The SQL path literal of a field (for `json_each` / `json_type`). */
export function fieldPath(field: string): string {
  return quoteText(`$."${checkField(field)}"`);
}

/** Pages of WAL between automatic checkpoints, for bulk work (rebuilds, imports). */
export const DEFAULT_WAL_AUTOCHECKPOINT = 20_000;

/** Creates the store's own tables and sets the connection up for sharing the file between processes. */
export function initialiseDatabase(db: Database.Database, walAutocheckpointPages = DEFAULT_WAL_AUTOCHECKPOINT): void {
  if (db.name !== ':memory:' && db.name !== '') db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL'); // with WAL: durable against process crashes, fsync at checkpoints
  db.pragma('cache_size = -65536'); // 64 MiB of page cache instead of 2: indexes of large collections stay in memory
  db.pragma('temp_store = MEMORY');
  // Checkpoint every 20,000 pages (~80 MB of WAL) instead of 1,000: a checkpoint writes each page
  // once however many transactions changed it, and syncs once, so large recompute writes (index
  // pages touched by every batch) cost far less; the file is cut back to 64 MiB afterwards.
  // A live worker sharing the file with an application wants small, frequent checkpoints instead
  // (each large one stalls writer and worker for ~200 ms): see EmbeddedStoreOptions.
  db.pragma(`wal_autocheckpoint = ${Math.trunc(walAutocheckpointPages)}`);
  db.pragma('journal_size_limit = 67108864');
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${JOURNAL_TABLE} (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      time TEXT NOT NULL,
      collection TEXT NOT NULL,
      class TEXT,
      id TEXT NOT NULL,
      op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
      changed TEXT NOT NULL,
      old TEXT NOT NULL,
      computed INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (name TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  refreshStatistics(db);
}

/**
 * Gathers planner statistics for tables that lack them or have grown (SQLite's advice for
 * long-lived connections: on open and before close). Without them every lookup with a class
 * filter builds a Bloom filter sized for the whole table: a one-document lookup among 265,000
 * order lines took 75 µs instead of 15. `analysis_limit` keeps it quick (~50 ms on a million documents).
 */
export function refreshStatistics(db: Database.Database): void {
  if (db.name === ':memory:' || db.name === '') return;
  try {
    db.pragma('analysis_limit = 1000');
    db.pragma('optimize = 0x10002');
  } catch {
    // Only an optimisation: a database busy beyond the timeout keeps its old statistics.
  }
}

/** Creates a collection's table (idempotent). */
export function createDocumentTable(db: Database.Database, collection: string): void {
  const table = quoteIdent(documentTable(collection));
  const classIndex = quoteIdent(`cls:${collection}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${table} (rowid INTEGER PRIMARY KEY, class TEXT, doc BLOB NOT NULL);
    CREATE INDEX IF NOT EXISTS ${classIndex} ON ${table} (class);
  `);
}

/** Creates the expression index of a scalar field (idempotent). */
export function createScalarIndex(db: Database.Database, collection: string, field: string): void {
  db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(scalarIndexName(collection, field))}
    ON ${quoteIdent(documentTable(collection))} (${fieldExpression(field)})`);
}

/**
 * Creates the side table of an array field, the triggers that keep it in step with every write
 * (from any process), and fills it from the documents already stored (idempotent).
 */
export function createArrayIndex(db: Database.Database, collection: string, field: string): void {
  const docs = quoteIdent(documentTable(collection));
  const sideName = arrayTableName(collection, field);
  const side = quoteIdent(sideName);
  const path = fieldPath(field);
  const elements = (ref: string) =>
    `INSERT INTO ${side} (value, row) SELECT value, ${ref}.rowid FROM json_each(${ref}.doc, ${path})
       WHERE json_type(${ref}.doc, ${path}) = 'array';`;
  const exists = db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('table', sideName);
  if (exists) return;
  // `value` has no declared type, so SQLite keeps 5 and '5' apart, as MongoDB does.
  db.exec(`
    CREATE TABLE ${side} (value, row INTEGER NOT NULL);
    CREATE INDEX ${quoteIdent(`${sideName}:value`)} ON ${side} (value, row);
    CREATE INDEX ${quoteIdent(`${sideName}:row`)} ON ${side} (row);
    CREATE TRIGGER ${quoteIdent(`${sideName}:insert`)} AFTER INSERT ON ${docs} BEGIN ${elements('NEW')} END;
    CREATE TRIGGER ${quoteIdent(`${sideName}:update`)} AFTER UPDATE OF doc ON ${docs}
      WHEN json_extract(OLD.doc, ${path}) IS NOT json_extract(NEW.doc, ${path})
      BEGIN DELETE FROM ${side} WHERE row = OLD.rowid; ${elements('NEW')} END;
    CREATE TRIGGER ${quoteIdent(`${sideName}:delete`)} AFTER DELETE ON ${docs}
      BEGIN DELETE FROM ${side} WHERE row = OLD.rowid; END;
    INSERT INTO ${side} (value, row) SELECT e.value, d.rowid FROM ${docs} d, json_each(d.doc, ${path}) e
      WHERE json_type(d.doc, ${path}) = 'array';
  `);
}
