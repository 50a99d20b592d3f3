/**
 * One better-sqlite3 connection with what every embedded operation needs: cached prepared
 * statements and a view of which tables and indexes exist. That view is reloaded whenever SQLite's
 * schema version has moved, so tables and indexes created by another process are noticed. The
 * version is read (`PRAGMA schema_version`) only when a name is not in the view, and at the start
 * of every write transaction: objects are never dropped, so a name once seen stays true, and a
 * writer must know every index of its collection (it fills `keys` for them).
 */
import Database from 'better-sqlite3';
import { collectionOfTable, documentTable, initialiseDatabase, refreshStatistics, scalarIndexPrefix } from './schema.ts';

export class SqliteConnection {
  /** The underlying database handle. */
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private names = new Set<string>();
  private tableOf = new Map<string, string>(); // index name → its table
  private readonly indexed = new Map<string, readonly string[]>(); // collection → scalar-indexed fields, from `tableOf`
  private schemaVersion = -1;
  private schemaVersionStatement: Database.Statement | undefined;

  /** Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory one). */
  constructor(path: string, walAutocheckpointPages?: number) {
    this.db = new Database(path);
    initialiseDatabase(this.db, walAutocheckpointPages);
  }

  /** A prepared statement for `sql`, prepared once per connection. */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Whether a table, index or trigger of that name exists (the schema is reread only for a name not seen yet). */
  exists(name: string): boolean {
    if (this.names.has(name)) return true;
    this.refreshNames();
    return this.names.has(name);
  }

  /**
   * The fields of `collection` that have a scalar index, sorted: what its `keys` column holds.
   * As current as the last schema check; writers get one at the start of their transaction.
   */
  indexedFields(collection: string): readonly string[] {
    let fields = this.indexed.get(collection);
    if (!fields) {
      const prefix = scalarIndexPrefix(collection);
      const table = documentTable(collection); // by table too: "ix:a:b:f" may be field "b:f" of "a" or field "f" of "a:b"
      fields = [...this.tableOf].filter(([name, of]) => of === table && name.startsWith(prefix))
        .map(([name]) => name.slice(prefix.length)).sort();
      this.indexed.set(collection, fields);
    }
    return fields;
  }

  /** Whether `field` of `collection` has a scalar index (the schema is reread only when it seems not to). */
  hasScalarIndex(collection: string, field: string): boolean {
    if (this.indexedFields(collection).includes(field)) return true;
    this.refreshNames();
    return this.indexedFields(collection).includes(field);
  }

  /** The collections that have a document table, sorted. */
  collections(): string[] {
    this.refreshNames();
    return [...this.names].map(collectionOfTable).filter((c): c is string => c !== null).sort();
  }

  /**
   * Runs `work` in one write transaction, taking the write lock up front (no upgrade deadlocks
   * between processes). The schema is checked first, under the lock: indexes another process
   * created are known to `work` (and none can appear until it commits).
   */
  write<T>(work: () => T): T {
    return this.db.transaction(() => {
      this.refreshNames();
      return work();
    }).immediate();
  }

  /** Closes the connection. */
  close(): void {
    this.statements.clear();
    this.schemaVersionStatement = undefined;
    if (!this.db.open) return;
    refreshStatistics(this.db);
    this.db.close();
  }

  private refreshNames(): void {
    // Prepared once: `db.pragma()` compiles its statement on every call, and this runs before every query.
    this.schemaVersionStatement ??= this.db.prepare('PRAGMA schema_version').pluck();
    const version = this.schemaVersionStatement.get() as number;
    if (version === this.schemaVersion) return;
    const rows = this.db.prepare('SELECT type, name, tbl_name FROM sqlite_master').all() as { type: string; name: string; tbl_name: string }[];
    this.names = new Set(rows.map((row) => row.name));
    this.tableOf = new Map(rows.filter((row) => row.type === 'index').map((row) => [row.name, row.tbl_name]));
    this.indexed.clear();
    this.schemaVersion = version;
  }
}
