/**
 * The MongoDB adapter of the storage port, through the official driver. It is thin on purpose:
 * the documents it sends come from `commands.ts`; here they are only passed to the driver.
 * The change feed (change streams) belongs to a later issue: `readChanges`/`headSequence` throw.
 */
import { MongoClient, type Db, type Document, type MongoClientOptions } from 'mongodb';
import { StoreUsageError, UnsupportedOperationError } from '../errors.ts';
import { checkCollection } from '../names.ts';
import type {
  AggregateFunction, AggregateResult, BulkSetOptions, BulkUpdate, ChangeRecord, ClassFilter, DocumentChange,
  DocumentTarget, Filter, FindOptions, IndexOptions, NewDocument, ScanOptions, StoredDocument, StorePort, StoredValue,
} from '../port.ts';
import {
  aggregatePipeline, arrayMemberQuery, checkpointUpsert, DEFAULT_CHECKPOINT_COLLECTION, fieldQuery, filterQuery,
  matchQuery, missingIndexDescriptions, scanQuery, STORAGE_ORDER, updateOperations, type ExistingIndex,
} from './commands.ts';

/** The server's NamespaceNotFound error code (`listIndexes` on a collection that does not exist). */
const NAMESPACE_NOT_FOUND = 26;
/** The server's CursorNotFound error code (a cursor killed after its idle timeout). */
const CURSOR_NOT_FOUND = 43;

/** Options of {@link openMongoStore}. */
export interface MongoStoreOptions {
  /** Connection string (a replica set when the change feed is wanted). */
  readonly url: string;
  /** Database name (ION's application database). */
  readonly database: string;
  /** Where checkpoints live (default `recalc_checkpoints`). */
  readonly checkpointCollection?: string;
  /** Driver options (timeouts, TLS…), passed to `MongoClient` as they are. */
  readonly clientOptions?: MongoClientOptions;
}

/** Connects and returns the adapter; `close()` disconnects. */
export async function openMongoStore(options: MongoStoreOptions): Promise<MongoStore> {
  const client = new MongoClient(options.url, options.clientOptions);
  try {
    await client.connect();
  } catch (error) {
    await client.close();
    throw error;
  }
  return new MongoStore(client, client.db(options.database), options.checkpointCollection ?? DEFAULT_CHECKPOINT_COLLECTION);
}

// The driver adds `_id` to documents it inserts; callers keep their own objects untouched.
const copy = (doc: StoredDocument): Document => ({ ...doc });

/** The storage port over MongoDB; see the port for the meaning of each method. */
export class MongoStore implements StorePort {
  constructor(private readonly client: MongoClient, private readonly db: Db, private readonly checkpoints: string) {}

  private collection(name: string) {
    return this.db.collection(checkCollection(name));
  }

  async findByField(collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]> {
    if (values.length === 0) return [];
    return this.collection(collection).find(fieldQuery(classes, field, values)).sort(STORAGE_ORDER).toArray();
  }

  async findByArrayMember(collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]> {
    if (values.length === 0) return [];
    return this.collection(collection).find(arrayMemberQuery(classes, field, values)).sort(STORAGE_ORDER).toArray();
  }

  async findByFilter(collection: string, classes: ClassFilter, filter: Filter, options: FindOptions = {}): Promise<StoredDocument[]> {
    if (options.limit !== undefined && options.limit <= 0) return [];
    const cursor = this.collection(collection).find(filterQuery(classes, filter)).sort(STORAGE_ORDER);
    if (options.limit !== undefined && Number.isFinite(options.limit)) cursor.limit(options.limit);
    return cursor.toArray();
  }

  async aggregate(collection: string, classes: ClassFilter, filter: Filter, fn: AggregateFunction, field: string): Promise<AggregateResult | null> {
    const pipeline = aggregatePipeline(classes, filter, fn, field);
    const [row] = await this.collection(collection).aggregate(pipeline).toArray();
    return row ? { value: row.value ?? null, matched: row.matched as number } : null;
  }

  /**
   * A scan may be held open between pages for longer than the server keeps an idle cursor
   * (`cursorTimeoutMillis`, 10 minutes; its session expires after 30): the next `getMore` then
   * fails with CursorNotFound (code 43). Documents come in `_id` order, so the scan reopens after
   * the last `_id` it read and goes on — once per interruption, and only after some progress.
   */
  async *scan(collection: string, classes: ClassFilter, options: ScanOptions = {}): AsyncIterable<StoredDocument[]> {
    const batchSize = options.batchSize ?? 1000;
    let batch: StoredDocument[] = [];
    let lastId: unknown;
    for (;;) {
      const cursor = this.collection(collection).find(scanQuery(classes, lastId)).sort(STORAGE_ORDER).batchSize(batchSize);
      let progressed = false;
      try {
        for await (const doc of cursor) {
          batch.push(doc);
          lastId = doc._id;
          progressed = true;
          if (batch.length >= batchSize) { yield batch; batch = []; }
        }
        if (batch.length > 0) yield batch;
        return;
      } catch (error) {
        if (!progressed || lastId === undefined || (error as { code?: unknown } | null)?.code !== CURSOR_NOT_FOUND) throw error;
      } finally {
        await cursor.close().catch(() => undefined);
      }
    }
  }

  async listCollections(): Promise<string[]> {
    const infos = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return infos.map((info) => info.name).filter((name) => name !== this.checkpoints && !name.startsWith('system.')).sort();
  }

  /**
   * Skips a field an existing index already covers (ION's own `ref_1`, `key_1`…: the same key
   * pattern under another name would be refused). `options.array` needs nothing special: MongoDB
   * makes the index multikey when the field holds arrays.
   */
  async ensureIndex(collection: string, field: string, _options?: IndexOptions): Promise<void> {
    const target = this.collection(collection);
    const existing = await target.listIndexes().toArray().catch((error: unknown) => {
      // A collection that does not exist yet has no index; createIndexes creates it.
      if ((error as { code?: unknown } | null)?.code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    });
    const missing = missingIndexDescriptions(existing as ExistingIndex[], [field]);
    if (missing.length > 0) await target.createIndexes(missing);
  }

  async insert(collection: string, documents: readonly NewDocument[]): Promise<void> {
    if (documents.length === 0) return;
    // Checked up front so a bad batch writes nothing, as the embedded store's transaction guarantees.
    for (const { id, doc } of documents) {
      if (typeof doc?._class !== 'string') throw new StoreUsageError(`document ${id} of ${collection} has no string _class`);
    }
    await this.collection(collection).insertMany(documents.map((d) => copy(d.doc)), { ordered: true });
  }

  async update(collection: string, changes: readonly DocumentChange[]): Promise<number> {
    return this.bulkUpdate(collection, changes);
  }

  async delete(collection: string, targets: readonly DocumentTarget[]): Promise<number> {
    if (targets.length === 0) return 0;
    const operations = targets.map((t) => ({ deleteOne: { filter: matchQuery(t.match) } }));
    const result = await this.collection(collection).bulkWrite(operations, { ordered: true });
    return result.deletedCount;
  }

  async load(collection: string, documents: readonly StoredDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.collection(collection).insertMany(documents.map(copy), { ordered: true });
  }

  /** `options.journal` has no effect here: MongoDB's feed is its change stream, not a journal we write. */
  async bulkSet(collection: string, updates: readonly BulkUpdate[], _options?: BulkSetOptions): Promise<number> {
    return this.bulkUpdate(collection, updates);
  }

  private async bulkUpdate(collection: string, updates: readonly (BulkUpdate | DocumentChange)[]): Promise<number> {
    const operations = updateOperations(updates);
    if (operations.length === 0) return 0;
    const result = await this.collection(collection).bulkWrite(operations, { ordered: true });
    return result.modifiedCount;
  }

  async readChanges(_afterSequence: number, _limit: number): Promise<ChangeRecord[]> {
    throw new UnsupportedOperationError('the MongoDB change feed (change streams) is not supported yet');
  }

  async headSequence(): Promise<number> {
    throw new UnsupportedOperationError('the MongoDB change feed (change streams) is not supported yet');
  }

  async getCheckpoint(name: string): Promise<string | null> {
    const doc = await this.db.collection<{ _id: string; value: string }>(this.checkpoints).findOne({ _id: name });
    return doc?.value ?? null;
  }

  async setCheckpoint(name: string, value: string): Promise<void> {
    const { filter, update } = checkpointUpsert(name, value);
    await this.db.collection(this.checkpoints).updateOne(filter, update, { upsert: true });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
