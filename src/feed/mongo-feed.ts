/**
 * The MongoDB feed as the worker runs it: among the worker processes, the one holding the
 * leader lock follows the database's change stream; the resume token lives in Redis next to the
 * lock. Wiring only — the parts are tested on their own.
 */
import type { Db } from 'mongodb';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { silentLogger } from '../log/logger.ts';
import { ChangeStreamFeed } from './change-stream-feed.ts';
import { redisCheckpoint } from './checkpoint.ts';
import type { ComputedFields } from './computed-fields.ts';
import type { FeedSink } from './feed-sink.ts';
import type { IdentifyObject } from './identify.ts';
import { LeaderLock } from './leader-lock.ts';
import { changeStreamOpener } from './open-change-stream.ts';
import { translateChange } from './translate-change.ts';

/** Options of {@link createMongoFeed}. */
export interface MongoFeedOptions {
  /** The watched database. */
  readonly db: Db;
  /** The collections holding the watched classes. */
  readonly collections: readonly string[];
  /** Ask the server for pre-images (see open-change-stream.ts). */
  readonly preImages: boolean;
  /** The queue's Redis: it keeps the resume token and the leader lock. */
  readonly redis: Redis;
  /** Prefix of the feed's Redis keys (default `recalc`): `<prefix>:feed:<db>:token` and `…:leader`. */
  readonly keyPrefix?: string;
  readonly identify: IdentifyObject;
  readonly computed: ComputedFields;
  readonly sink: FeedSink;
  /** Leader lock TTL in ms (default 15000). */
  readonly leaderTtlMs?: number;
  /** Idle token checkpoint period in ms (default 10000). */
  readonly idleCheckpointMs?: number;
  readonly logger?: Logger;
}

/** A feed that follows the database while this process is the leader. */
export interface MongoFeed {
  /** The Redis keys used (for `recalc status` and operators). */
  readonly keys: { readonly token: string; readonly leader: string };
  /** Runs until `signal` aborts: competes for the lock, follows the stream while holding it. */
  run(signal: AbortSignal): Promise<void>;
}

/** Creates the MongoDB feed. */
export function createMongoFeed(options: MongoFeedOptions): MongoFeed {
  const log = options.logger ?? silentLogger;
  const base = `${options.keyPrefix ?? 'recalc'}:feed:${options.db.databaseName}`;
  const keys = { token: `${base}:token`, leader: `${base}:leader` };
  const watched: ReadonlySet<string> = new Set(options.collections);
  const lock = new LeaderLock({ redis: options.redis, key: keys.leader, ttlMs: options.leaderTtlMs, logger: log });
  const feed = new ChangeStreamFeed({
    open: changeStreamOpener(options.db, { collections: options.collections, preImages: options.preImages }),
    checkpoint: redisCheckpoint(options.redis, keys.token),
    sink: options.sink,
    translate: (change) => translateChange(change, { identify: options.identify, computed: options.computed, watched }),
    idleCheckpointMs: options.idleCheckpointMs,
    logger: log,
  });
  return {
    keys,
    run: (signal) => lock.lead((leaderSignal) => feed.run(leaderSignal), signal),
  };
}
