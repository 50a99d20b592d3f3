/** The feed layer's public entry. */
export type { FeedEvent, FeedOperation, ObjectChange, CollectionDropped, StreamInvalidated } from './feed-event.ts';
export { computedFor, touchesOnlyComputed, type ComputedFields } from './computed-fields.ts';
export { identifyByKeys, type IdentifyObject } from './identify.ts';
export { translateChange, updatedTopLevelFields, type TranslateOptions } from './translate-change.ts';
export { journalPosition, storeCheckpoint, redisCheckpoint, type CheckpointStore } from './checkpoint.ts';
export {
  deliver, routeChangedObjects,
  type ChangeRouter, type FeedObserver, type FeedSink, type Reconcile, type ReconcileReason,
} from './feed-sink.ts';
export { createJournalFeed, JournalFeed, type JournalFeedOptions, type JournalStore } from './journal-feed.ts';
export {
  ChangeStreamFeed, isHistoryLost, serializeToken, parseToken,
  type ChangeStreamFeedOptions, type ChangeStreamLike, type OpenChangeStream,
} from './change-stream-feed.ts';
export { changeStreamOpener, changeStreamPipeline, changeStreamOptions, type ChangeStreamOpenerOptions } from './open-change-stream.ts';
export { LeaderLock, type LeaderLockOptions } from './leader-lock.ts';
export { createMongoFeed, type MongoFeed, type MongoFeedOptions } from './mongo-feed.ts';
export { readStatus, waitCaughtUp, type StatusSources, type WorkerStatus } from './status.ts';
