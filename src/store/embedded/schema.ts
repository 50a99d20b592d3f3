/**
 * The SQLite schema of the embedded store. One table per collection, documents as SQLite JSONB
 * (binary JSON: `json_extract` reads it without re-parsing):
 *
 *   "doc:<collection>" (rowid INTEGER PRIMARY KEY, class TEXT, doc BLOB, keys BLOB)   rowid = storage order
 *   "cls:<collection>" index on class (the `_class` of the document, copied out for filtering)
 *   "ix:<collection>:<field>"  expression index on json_extract(keys, '$."<field>"')   (scalar lookups)
 *   "arr:<collection>:<field>" (value, row)  the elements of an array field, kept by triggers   (membership)
 *   store_journal      the change feed, written in the transaction of each change
 *   store_checkpoints  name → value (feed positions)
 *
 * `keys` holds a copy of just the scalar-indexed fields of the document (JSONB, NULL when the
 * collection has none), written by the store with the document. Indexes read `keys`, never `doc`:
 * SQLite updates an expression index whenever a column its expression reads is in an UPDATE's
 * SET list, so a write that changes only other fields (every computed value) sets `doc` alone and
 * touches no index. Schema version 2 (`PRAGMA user_version`); files of version 0 (indexes on
 * `doc`, no `keys`) are migrated on open by {@link migrateSchema}.
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
  return `${scalarIndexPrefix(collection)}${checkField(field)}`;
}

/** What the names of a collection's scalar indexes start with (the field follows). */
export function scalarIndexPrefix(collection: string): string {
  return `ix:${checkCollection(collection)}:`;
}

/** The side table of an array field. */
export function arrayTableName(collection: string, field: string): string {
  return `arr:${checkCollection(collection)}:${checkField(field)}`;
}

/**
 * The SQL expression reading a field: from the `keys` column when the field has a scalar index
 * (`indexed`), else from the document. Index and queries must use exactly this text for SQLite
 * to match the expression index, so it is only ever built here. Both give the same value:
 * `keys` holds the field exactly as `doc` does.
 */
export function fieldExpression(field: string, indexed: boolean): string {
  return `json_extract(${indexed ? 'keys' : 'doc'}, ${fieldPath(field)})`;
}

/** The SQL path literal of a field (for `json_each` / `json_type`). */
export function fieldPath(field: string): string {
  return quoteText(`$."${checkField(field)}"`);
}

/** Pages of WAL between automatic checkpoints, for bulk work (rebuilds, imports). */
export const DEFAULT_WAL_AUTOCHECKPOINT = 20_000;

/** The layout this code reads and writes (`PRAGMA user_version`); 0 is the layout before `keys`. */
export const SCHEMA_VERSION = 2;

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
  migrateSchema(db);
  refreshStatistics(db);
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings a file to {@link SCHEMA_VERSION}, in one write transaction (all or nothing; a second
 * process opening the file at the same time waits for it and then finds nothing to do).
 * From version 0: every document table gets its `keys` column, filled with the scalar-indexed
 * fields of each document, and each scalar index on `doc` is rebuilt on `keys`. Documents, the
 * journal, checkpoints and array side tables are left as they are.
 */
export function migrateSchema(db: Database.Database): void {
  const newer = () => new Error(`the embedded store ${db.name} has schema version ${userVersion(db)}, `
    + `newer than this program's ${SCHEMA_VERSION}: open it with a newer ion-recalc`);
  const version = userVersion(db);
  if (version === SCHEMA_VERSION) return;
  if (version > SCHEMA_VERSION) throw newer();
  db.transaction(() => {
    const current = userVersion(db);
    if (current === SCHEMA_VERSION) return;
    if (current > SCHEMA_VERSION) throw newer();
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'doc:%'`).pluck().all() as string[];
    for (const table of tables) {
      const collection = collectionOfTable(table)!;
      const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
      if (!columns.includes('keys')) db.exec(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN keys BLOB`);
      const prefix = scalarIndexPrefix(collection);
      const indexes = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`).pluck().all(table) as string[];
      for (const index of indexes) {
        if (!index.startsWith(prefix)) continue;
        db.exec(`DROP INDEX ${quoteIdent(index)}`);
        createScalarIndex(db, collection, index.slice(prefix.length));
      }
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
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
    CREATE TABLE IF NOT EXISTS ${table} (rowid INTEGER PRIMARY KEY, class TEXT, doc BLOB NOT NULL, keys BLOB);
    CREATE INDEX IF NOT EXISTS ${classIndex} ON ${table} (class);
  `);
}

/**
 * Creates the expression index of a scalar field (idempotent): copies the field of every stored
 * document into `keys` (a field the document lacks stays out of it, as in the writers' `keys`),
 * then indexes it there. Run it in a write transaction, so that no write lands between the two.
 */
export function createScalarIndex(db: Database.Database, collection: string, field: string): void {
  const name = scalarIndexName(collection, field);
  if (db.prepare('SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?').get('index', name)) return;
  const table = quoteIdent(documentTable(collection));
  const path = fieldPath(field);
  // `doc -> path` is the field's JSON (subtype JSON), so jsonb_set stores objects and arrays as such, not as text.
  db.exec(`
    UPDATE ${table} SET keys = jsonb_set(coalesce(keys, jsonb('{}')), ${path}, doc -> ${path}) WHERE json_type(doc, ${path}) IS NOT NULL;
    CREATE INDEX ${quoteIdent(name)} ON ${table} (${fieldExpression(field, true)});
  `);
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
