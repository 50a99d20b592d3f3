/**
 * Opens the real MongoDB change stream of the feed: one per database, filtered on the server to
 * the class collections, with the current document on updates (for the class and key) and the
 * pre-image when the collections keep one.
 */
import type { ChangeStreamOptions, Db, Document } from 'mongodb';
import type { OpenChangeStream } from './change-stream-feed.ts';

/** Options of {@link changeStreamOpener}. */
export interface ChangeStreamOpenerOptions {
  /** The collections holding the watched classes. */
  readonly collections: readonly string[];
  /**
   * Ask for pre-images (`fullDocumentBeforeChange: 'whenAvailable'`): old link values on updates
   * and the deleted document on deletes. The collections must have
   * `changeStreamPreAndPostImages` enabled for the server to keep them (MongoDB 6.0+).
   */
  readonly preImages: boolean;
  /** How long the server waits for new events before answering empty, in ms (default 1000). */
  readonly maxAwaitTimeMS?: number;
  /** Events per server batch (default 1000). */
  readonly batchSize?: number;
}

/**
 * The server-side filter: events on the watched collections, renames onto one (`to.coll`: `$out`
 * and `renameCollection(…, dropTarget)` replace a collection through a rename whose `ns` is the
 * temporary or source collection, and emit nothing else for the target), plus `invalidate`
 * (which has no namespace).
 */
export function changeStreamPipeline(collections: readonly string[]): Document[] {
  const watched = [...collections];
  return [{ $match: { $or: [{ 'ns.coll': { $in: watched } }, { 'to.coll': { $in: watched } }, { operationType: 'invalidate' }] } }];
}

/** The options passed to `db.watch`. */
export function changeStreamOptions(options: ChangeStreamOpenerOptions, startAfter: unknown): ChangeStreamOptions {
  return {
    fullDocument: 'updateLookup',
    ...(options.preImages ? { fullDocumentBeforeChange: 'whenAvailable' as const } : {}),
    maxAwaitTimeMS: options.maxAwaitTimeMS ?? 1000,
    batchSize: options.batchSize ?? 1000,
    // startAfter (not resumeAfter) also resumes after an invalidate event's token.
    ...(startAfter === undefined ? {} : { startAfter }),
  };
}

/** An {@link OpenChangeStream} over a database. */
export function changeStreamOpener(db: Db, options: ChangeStreamOpenerOptions): OpenChangeStream {
  return (startAfter) => db.watch(changeStreamPipeline(options.collections), changeStreamOptions(options, startAfter));
}
