/**
 * What the feed reports: application changes to objects, and the two stream-level events that
 * force a rebuild (a dropped collection, an invalidated stream). The same type comes out of the
 * MongoDB change stream and the embedded store's journal.
 */

/** How an object changed. */
export type FeedOperation = 'insert' | 'update' | 'replace' | 'delete';

/** One application change to one object. */
export interface ObjectChange {
  readonly kind: 'change';
  /** The collection written. */
  readonly collection: string;
  /** The object's class (`_class`), `null` when the event does not tell (a delete without pre-image). */
  readonly className: string | null;
  /** The ION object id, `null` when the event does not tell. */
  readonly id: string | null;
  readonly op: FeedOperation;
  /** Top-level fields whose value changed (for an insert: every field; for a delete: the old document's fields when known). */
  readonly changedFields: readonly string[];
  /**
   * The values the changed fields had before, when the source knows them (a MongoDB pre-image,
   * the embedded journal); `null` when it does not. Among them are the old link values a
   * change router needs to reach the objects an object used to point at.
   */
  readonly oldValues: Readonly<Record<string, unknown>> | null;
  /** When the change was committed (epoch ms). */
  readonly time: number;
}

/** A watched collection was dropped: everything in it changed at once. */
export interface CollectionDropped {
  readonly kind: 'drop';
  readonly collection: string;
  readonly time: number;
}

/** The stream cannot go on (database dropped or renamed): it restarts from now after a rebuild. */
export interface StreamInvalidated {
  readonly kind: 'invalidate';
  readonly time: number;
}

/** Anything the feed reports. */
export type FeedEvent = ObjectChange | CollectionDropped | StreamInvalidated;
