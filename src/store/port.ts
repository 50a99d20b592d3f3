/**
 * The storage port: everything the recompute, feed and CLI layers ask of a document store laid
 * out the way ION lays out MongoDB (ion-spec §2.5–§2.6): one collection per root class, a `_class`
 * discriminator, ids built from key values, references holding key values, id-array collections.
 *
 * The port knows nothing about meta. It speaks in collection names, lists of `_class` values to
 * match, field names and values; the recompute layer translates class meta into these calls.
 *
 * Result order: documents come back in storage (insertion) order, because ION loads collections
 * with an "id in (…)" query and the conformance data depends on that order.
 */

/** A stored value: JSON scalars, `Date` for dates, arrays, nested objects, BSON values (`ObjectId`, `Long`…). */
export type StoredValue = unknown;

/** A stored document: a plain object of field name → stored value (`_class`, `_classVer`, attributes). */
export type StoredDocument = Record<string, StoredValue>;

/**
 * Which documents of a collection to consider: the `_class` values to match (a class and its
 * descendants, as ION's discriminator filter does), or `null` for every document.
 */
export type ClassFilter = readonly string[] | null;

/** Comparison operators of a class-form filter condition. */
export type FilterOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin';

/** The operator names, for validation. */
export const FILTER_OPERATORS: readonly FilterOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'nin'];

/**
 * A class-form filter: field → condition, conditions AND-ed. A condition is a plain value
 * (equality) or an operator pair `[op, value]` (`['gt', date]`, `['in', [1, 2]]`). An array of two
 * elements whose first element is an operator name is always read as an operator pair.
 *
 * Matching follows MongoDB: equality is type-strict (5 does not match "5"), an array field matches
 * a value it contains, `null` matches a missing field, range operators compare only values of the
 * same kind (numbers with numbers, strings with strings, dates with dates).
 */
export type Filter = Readonly<Record<string, StoredValue>>;

/** Class-form aggregation functions. */
export type AggregateFunction = 'count' | 'sum' | 'avg' | 'max' | 'min' | 'merge';

/** The function names, for validation. */
export const AGGREGATE_FUNCTIONS: readonly AggregateFunction[] = ['count', 'sum', 'avg', 'max', 'min', 'merge'];

/**
 * The answer of {@link StorePort.aggregate} when at least one document matched (MongoDB's single
 * `$group` row). Semantics, as MongoDB's `$group` accumulators:
 * - `count`: the number of matching documents (the field is not read);
 * - `sum`: the sum of the numeric values of the field (others ignored), `0` when there are none;
 * - `avg`: their mean, `null` when there are none;
 * - `max` / `min`: the greatest / least non-null value in BSON order, `null` when there are none;
 * - `merge`: the array of the field's non-null values in storage order (the caller joins them).
 *
 * This is the faithful function; ION's class-form copy-paste bugs (`min` computing max, `merge`
 * computing sum) are the caller's business.
 */
export interface AggregateResult {
  /** The accumulated value. */
  readonly value: StoredValue;
  /** How many documents matched the filter. */
  readonly matched: number;
}

/** Identifies one document for an application write: its ION id (for the journal) and the fields that select it. */
export interface DocumentTarget {
  /** The ION object id (key values joined by `_`), recorded in the change feed. */
  readonly id: string;
  /** Field → value equalities that select the document (normally the key fields); the first match in storage order is used. */
  readonly match: Readonly<Record<string, StoredValue>>;
}

/** A new document for {@link StorePort.insert}. */
export interface NewDocument {
  /** The ION object id, recorded in the change feed. */
  readonly id: string;
  /** The document; it must carry a string `_class`. */
  readonly doc: StoredDocument;
}

/** An application edit for {@link StorePort.update}: set some fields, remove others. */
export interface DocumentChange extends DocumentTarget {
  /** Fields to set. */
  readonly set?: Readonly<Record<string, StoredValue>>;
  /** Fields to remove. */
  readonly unset?: readonly string[];
}

/** One recompute write for {@link StorePort.bulkSet}. */
export interface BulkUpdate {
  /** Field → value equalities that select the document (normally the key fields). */
  readonly match: Readonly<Record<string, StoredValue>>;
  /** Fields to set. */
  readonly set?: Readonly<Record<string, StoredValue>>;
  /** Fields to remove. */
  readonly unset?: readonly string[];
  /** The ION id for the journal; defaults to the `match` values joined by `_` (ION's id rule when `match` lists the key fields in key order). */
  readonly id?: string;
}

/** Options of {@link StorePort.bulkSet}. */
export interface BulkSetOptions {
  /** Journal the writes as computed changes (default `true`); a full rebuild may turn it off. */
  readonly journal?: boolean;
}

/** Options of {@link StorePort.ensureIndex}. */
export interface IndexOptions {
  /** The field holds an array (an id-array collection): index its elements for {@link StorePort.findByArrayMember}. */
  readonly array?: boolean;
}

/** Operations recorded in the change feed. */
export type ChangeOperation = 'insert' | 'update' | 'delete';

/** One entry of the change feed (the embedded store's transaction journal). */
export interface ChangeRecord {
  /** Position in the feed: strictly increasing, gap-free only within one writer. */
  readonly seq: number;
  /** When the change was committed. */
  readonly time: Date;
  /** The collection written. */
  readonly collection: string;
  /** The document's `_class` (after an insert or update, before a delete); `null` when it has none. */
  readonly className: string | null;
  /** The ION object id given by the writer. */
  readonly id: string;
  /** What happened. */
  readonly op: ChangeOperation;
  /** The fields whose value changed (for an insert, every field of the document; for a delete, every field of the old document). */
  readonly changedFields: readonly string[];
  /** The old values of the changed fields (`null` where the field was missing); for a delete, the whole old document; for an insert, `{}`. */
  readonly oldValues: StoredDocument;
  /** `true` for writes of computed values ({@link StorePort.bulkSet}): a recompute feed drops them, cache invalidation does not. */
  readonly computed: boolean;
}

/** Options of {@link StorePort.findByFilter}. */
export interface FindOptions {
  /** The most documents to return (default: all). */
  readonly limit?: number;
}

/** Options of {@link StorePort.scan}. */
export interface ScanOptions {
  /** Documents per yielded batch (default 1000). */
  readonly batchSize?: number;
}

/**
 * The storage port. Every method is asynchronous because the MongoDB adapter is; the embedded
 * adapter answers synchronously under the hood. Batches given to one write method are applied
 * atomically by the embedded store (one SQLite transaction, journal rows included).
 */
export interface StorePort {
  /**
   * Documents whose `field` equals one of `values` (type-strict), in storage order. Covers
   * load-by-ids (`field` = the key) and back-reference lookups. `null` among the values matches a
   * null or missing field. Array-valued fields are not searched: use {@link findByArrayMember}.
   */
  findByField(collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]>;

  /** Documents whose array `field` contains one of `values` (type-strict), in storage order: which masters hold an id in an id-array collection. `null` values are ignored. */
  findByArrayMember(collection: string, classes: ClassFilter, field: string, values: readonly StoredValue[]): Promise<StoredDocument[]>;

  /**
   * Documents of `classes` matching a filter (same rules as {@link aggregate}), in storage order,
   * at most `limit` of them: ION's `get(class, attr, value, …)`, back-reference collections with
   * `selConditions`, composite-key loads. Prefer the indexed lookups above for batch loading.
   */
  findByFilter(collection: string, classes: ClassFilter, filter: Filter, options?: FindOptions): Promise<StoredDocument[]>;

  /** A class-form aggregation of `field` over the documents of `classes` matching `filter`; `null` when no document matched (see {@link AggregateResult}). */
  aggregate(collection: string, classes: ClassFilter, filter: Filter, fn: AggregateFunction, field: string): Promise<AggregateResult | null>;

  /** Every document of the collection (of `classes`), in storage order, in batches; for rebuilds and export. */
  scan(collection: string, classes: ClassFilter, options?: ScanOptions): AsyncIterable<StoredDocument[]>;

  /** The names of the collections that hold documents (or were created), sorted. */
  listCollections(): Promise<string[]>;

  /** Creates (if missing) the index a reverse lookup on `field` needs. Only ever called explicitly (`recalc init-indexes`, tests, the embedded default). */
  ensureIndex(collection: string, field: string, options?: IndexOptions): Promise<void>;

  /** Application inserts, journaled as `insert`. The batch is atomic on the embedded store. */
  insert(collection: string, documents: readonly NewDocument[]): Promise<void>;

  /** Application edits, journaled as `update` with the fields that really changed; an edit changing nothing writes nothing. Returns how many documents changed. */
  update(collection: string, changes: readonly DocumentChange[]): Promise<number>;

  /** Application deletes, journaled as `delete` with the whole old document. Returns how many documents were deleted. */
  delete(collection: string, targets: readonly DocumentTarget[]): Promise<number>;

  /** Bulk load without journal (import, fixtures, benchmarks): the documents are appended as they are. */
  load(collection: string, documents: readonly StoredDocument[]): Promise<void>;

  /**
   * Recompute writes: for each update, set and unset the named fields of the first matching
   * document, leaving every other field alone; one bulk write for the batch. Fields whose stored
   * value already equals the new one are not rewritten. Returns how many documents changed.
   */
  bulkSet(collection: string, updates: readonly BulkUpdate[], options?: BulkSetOptions): Promise<number>;

  /** Up to `limit` change records with `seq > afterSequence`, oldest first. */
  readChanges(afterSequence: number, limit: number): Promise<ChangeRecord[]>;

  /** The sequence number of the newest change record, `0` when there is none. */
  headSequence(): Promise<number>;

  /** A stored checkpoint (a feed position, a resume token), `null` when never set. */
  getCheckpoint(name: string): Promise<string | null>;

  /** Stores a checkpoint durably, replacing the previous value. */
  setCheckpoint(name: string, value: string): Promise<void>;

  /** Releases the connection; the store is unusable afterwards. */
  close(): Promise<void>;
}
