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

/** The server-side filter: the watched collections, plus `invalidate` (which has no namespace). */
export function changeStreamPipeline(collections: readonly string[]): Document[] {
  return [{ $match: { $or: [{ 'ns.coll': { $in: [...collections] } }, { operationType: 'invalidate' }] } }];
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
