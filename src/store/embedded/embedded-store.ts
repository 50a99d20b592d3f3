/**
 * The embedded store: the storage port on SQLite through better-sqlite3, a file shared by
 * several processes (WAL mode) or a private `:memory:` database. Its transaction journal is the
 * embedded change feed. Schema and decisions: `docs/store.md`.
 */
import { checkAggregateFunction } from '../accumulate.ts';
import { checkCollection, checkField } from '../names.ts';
import type {
  AggregateFunction, AggregateResult, BulkSetOptions, BulkUpdate, ChangeRecord, ClassFilter, DocumentChange,
  DocumentTarget, Filter, FindOptions, IndexOptions, NewDocument, ScanOptions, StoredDocument, StorePort, StoredValue,
} from '../port.ts';
import { readCheckpoint, readCheckpoints, writeCheckpoint } from './checkpoints.ts';
import { SqliteConnection } from './connection.ts';
import { journalHead, oldestJournalRecord, pruneJournal, readJournal, type JournalPruneOptions } from './journal.ts';
import * as reads from './reads.ts';
import { createArrayIndex, createDocumentTable, createScalarIndex, documentTable } from './schema.ts';
import { bulkUpdateId, deleteDocuments, editDocuments, insertDocuments, loadDocuments } from './writes.ts';

/** Options of {@link openEmbeddedStore}. */
export interface EmbeddedStoreOptions {
  /** A database file (created if missing), or `:memory:` (default) for a private in-memory database. */
  readonly path?: string;
  /**
   * Pages of write-ahead log between automatic checkpoints (default 20,000, ~80 MB: best for
   * rebuilds and imports). A live worker sharing the file with an application uses a few thousand,
   * so that no single checkpoint stalls both for long.
   */
  readonly walAutocheckpointPages?: number;
}

/** Opens an embedded store. */
export function openEmbeddedStore(options: EmbeddedStoreOptions = {}): EmbeddedStore {
  const pages = options.walAutocheckpointPages;
  if (pages !== undefined && (!Number.isInteger(pages) || pages < 1)) {
    throw new RangeError(`walAutocheckpointPages must be a positive integer, got ${pages}`);
  }
  return new EmbeddedStore(new SqliteConnection(options.path ?? ':memory:', pages));
}

/** The storage port over SQLite; see the port for the meaning of each method. */
export class EmbeddedStore implements StorePort {
  constructor(private readonly connection: SqliteConnection) {}

  /** The raw better-sqlite3 handle, for diagnostics (EXPLAIN QUERY PLAN) and tests. */
  get database() {
    return this.connection.db;
  }

  async findByField(collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]> {
    return reads.findByField(this.connection, collection, classes, field, values);
  }

  async findByArrayMember(collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]> {
    return reads.findByArrayMember(this.connection, collection, classes, field, values);
  }

  async findByFilter(collection: string, classes: ClassFilter, filter: Filter, options: FindOptions = {}): Promise<StoredDocument[]> {
    return reads.findByFilter(this.connection, collection, classes, filter, options.limit);
  }

  async aggregate(collection: string, classes: ClassFilter, filter: Filter, fn: AggregateFunction, field: string): Promise<AggregateResult | null> {
    return reads.aggregate(this.connection, collection, classes, filter, checkAggregateFunction(fn), checkField(field));
  }

  async *scan(collection: string, classes: ClassFilter, options: ScanOptions = {}): AsyncIterable<StoredDocument[]> {
    const batchSize = options.batchSize ?? 1000;
    let after = 0;
    for (;;) {
      const { docs, lastRow } = reads.scanPage(this.connection, collection, classes, after, batchSize);
      if (docs.length > 0) yield docs;
      if (docs.length < batchSize) return;
      after = lastRow;
    }
  }

  async listCollections(): Promise<string[]> {
    return this.connection.collections();
  }

  async ensureIndex(collection: string, field: string, options: IndexOptions = {}): Promise<void> {
    checkField(field);
    this.connection.write(() => {
      if (!this.connection.exists(documentTable(collection))) createDocumentTable(this.connection.db, collection);
      if (options.array) createArrayIndex(this.connection.db, collection, field);
      else createScalarIndex(this.connection.db, collection, field);
    });
  }

  async insert(collection: string, documents: readonly NewDocument[]): Promise<void> {
    insertDocuments(this.connection, checkCollection(collection), documents);
  }

  async update(collection: string, changes: readonly DocumentChange[]): Promise<number> {
    return editDocuments(this.connection, checkCollection(collection), changes, { enabled: true, computed: false });
  }

  async delete(collection: string, targets: readonly DocumentTarget[]): Promise<number> {
    return deleteDocuments(this.connection, checkCollection(collection), targets);
  }

  async load(collection: string, documents: readonly StoredDocument[]): Promise<void> {
    loadDocuments(this.connection, checkCollection(collection), documents);
  }

  async bulkSet(collection: string, updates: readonly BulkUpdate[], options: BulkSetOptions = {}): Promise<number> {
    const edits = updates.map((update) => ({ ...update, id: bulkUpdateId(update) }));
    return editDocuments(this.connection, checkCollection(collection), edits, { enabled: options.journal ?? true, computed: true });
  }

  async readChanges(afterSequence: number, limit: number): Promise<ChangeRecord[]> {
    return readJournal(this.connection, afterSequence, limit);
  }

  async headSequence(): Promise<number> {
    return journalHead(this.connection);
  }

  /**
   * Embedded only: drops the oldest journal records, up to and including `throughSequence` (pass
   * the lowest position of the journal's readers) and, with `olderThan`, only those written
   * before it; returns how many. Later records keep their numbers and new ones continue after the
   * highest number ever given. `recalc prune-journal` is the command around it.
   */
  async pruneChanges(throughSequence: number, options: JournalPruneOptions = {}): Promise<number> {
    return pruneJournal(this.connection, throughSequence, options);
  }

  /** Embedded only: the oldest journal record kept, or null when the journal is empty. */
  async oldestChange(): Promise<{ readonly seq: number; readonly time: Date } | null> {
    return oldestJournalRecord(this.connection);
  }

  async getCheckpoint(name: string): Promise<string | null> {
    return readCheckpoint(this.connection, name);
  }

  /** Embedded only: every checkpoint kept in this store (the positions of its journal's readers). */
  async listCheckpoints(): Promise<Map<string, string>> {
    return readCheckpoints(this.connection);
  }

  async setCheckpoint(name: string, value: string): Promise<void> {
    writeCheckpoint(this.connection, name, value);
  }

  async close(): Promise<void> {
    this.connection.close();
  }
}
