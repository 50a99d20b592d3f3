/** Options of the BullMQ queue, field by field, with their defaults. */
import type { Logger } from 'pino';
import type { ErrorClassifier } from '../classify-error.ts';
import type { QueueObserver } from '../observer.ts';

/** Options of {@link createBullmqQueue}. */
export interface BullmqQueueOptions {
  /** The Redis server of the queue (it must not evict keys: `maxmemory-policy noeviction`). */
  readonly redisUrl: string;
  /** Queue name (default `recalc`). */
  readonly name?: string;
  /** Key prefix in Redis (default `bull`). Tests use a random one. */
  readonly prefix?: string;
  /** Most objects per processor call (default 100). */
  readonly batchSize?: number;
  /** How many processor calls may run at once in this process (default 4). */
  readonly concurrency?: number;
  /** How long the first job of a batch waits for others, in ms (default 5). */
  readonly batchWaitMs?: number;
  /** Attempts per job before it is kept failed (default 5). */
  readonly attempts?: number;
  /** First retry delay in ms, doubled on each further attempt (default 1000). */
  readonly backoffMs?: number;
  /** How long a worker's lock on a job lasts without renewal, in ms (default 30000). A dead worker's jobs come back after it. */
  readonly lockDurationMs?: number;
  /** How often stalled jobs (whose worker died) are looked for, in ms (default 15000). */
  readonly stalledIntervalMs?: number;
  /** How many times a job may stall before it fails (default 3; a recompute is idempotent so re-running is safe). */
  readonly maxStalledCount?: number;
  /** Completed jobs kept for the dashboard (default 1000, for at most an hour). */
  readonly keepCompleted?: number;
  /** Failed jobs kept with their error (default 10000, for at most a week). */
  readonly keepFailed?: number;
  /** Objects queued per page of a class refresh (default 1000). */
  readonly refreshPageSize?: number;
  /** Decides which errors are retried (default {@link classifyError}). */
  readonly classify?: ErrorClassifier;
  /** Receives batch and failure notifications (metrics). */
  readonly observer?: QueueObserver;
  /** Scoped logger (default silent). */
  readonly logger?: Logger;
}

/** The defaults of {@link BullmqQueueOptions}. */
export const BULLMQ_DEFAULTS = Object.freeze({
  name: 'recalc',
  prefix: 'bull',
  batchSize: 100,
  concurrency: 4,
  batchWaitMs: 5,
  attempts: 5,
  backoffMs: 1000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 15_000,
  maxStalledCount: 3,
  keepCompleted: 1000,
  keepFailed: 10_000,
  refreshPageSize: 1000,
});
