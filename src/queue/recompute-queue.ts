/**
 * The queue interface shared by the BullMQ queue and the in-process queue of the embedded mode.
 *
 * Semantics both implementations keep:
 * - one job per object (`class:id`): while a job for an object waits, another enqueue of it is
 *   absorbed; while one runs, a new enqueue creates exactly one waiting job that runs after it —
 *   so at most one waits while one runs, and a change arriving during a recompute is never lost;
 * - jobs reach the processor in micro-batches of up to `batchSize` objects;
 * - the refs a batch returns are enqueued (reason `cascade`) before the batch's jobs complete;
 * - failures are retried with exponential backoff, except permanent ones (see classify-error.ts);
 *   a job that keeps failing is kept failed with its error and never blocks other objects;
 * - `close()` stops taking jobs and waits for the running ones.
 */
import type { ObjectRef } from './object-ref.ts';
import type { QueueHandlers } from './processor.ts';

/** Options of one enqueue call. */
export interface EnqueueOptions {
  /** Why the objects are queued, shown on the job and passed to the processor (default `change`). */
  readonly reason?: string;
  /** When the change happened (epoch ms), for the change → written lag metric; default now. */
  readonly changedAt?: number;
}

/** How many jobs are in each state. `waiting` includes prioritized and paused jobs. */
export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  readonly delayed: number;
  readonly failed: number;
  readonly completed: number;
}

/** A job that failed for good, for `recalc status`. */
export interface FailedJob {
  /** The job's name (`recompute`, `refresh-class`). */
  readonly name: string;
  /** The object, for recompute jobs. */
  readonly ref: ObjectRef | null;
  /** The class, for refresh jobs. */
  readonly className: string | null;
  /** The last error message. */
  readonly error: string;
  /** How many attempts were made. */
  readonly attempts: number;
  /** When it failed (epoch ms), when known. */
  readonly failedAt: number | null;
}

/** A cron schedule that refreshes whole classes. */
export interface RefreshSchedule {
  /** A stable name (scheduler id); schedules not listed any more are removed. */
  readonly name: string;
  /** A cron pattern (five or six fields). */
  readonly cron: string;
  /** The classes to refresh. */
  readonly classes: readonly string[];
  /** The time zone of the pattern (default UTC). */
  readonly tz?: string;
}

/** The queue of recompute work. */
export interface RecomputeQueue {
  /** `bullmq` or `in-process`. */
  readonly kind: 'bullmq' | 'in-process';
  /**
   * Whether queued jobs survive a crash of this process. The BullMQ queue is durable; the
   * in-process queue is not, so a feed must not checkpoint past changes whose jobs are only in
   * memory (it waits for {@link idle} first).
   */
  readonly durable: boolean;
  /** Queues a recompute of each object (deduplicated per object). */
  enqueue(refs: readonly ObjectRef[], options?: EnqueueOptions): Promise<void>;
  /** Queues a job that pages through a class and queues every object (one per class at a time). */
  refreshClass(className: string, reason?: string): Promise<void>;
  /** Makes the cron schedules the given ones (adds, updates, removes). */
  setSchedules(schedules: readonly RefreshSchedule[]): Promise<void>;
  /** Starts processing with the given handlers. Call once. */
  start(handlers: QueueHandlers): Promise<void>;
  /** Job counts by state. */
  counts(): Promise<QueueCounts>;
  /** The most recent failed jobs, newest first. */
  failures(limit?: number): Promise<FailedJob[]>;
  /** Resolves when no job waits, runs or is delayed (failed jobs do not count). */
  idle(options?: { readonly pollMs?: number; readonly timeoutMs?: number }): Promise<void>;
  /** Stops taking jobs, waits for running ones, releases connections. Idempotent. */
  close(): Promise<void>;
}

/** The reason given to cascaded refs. */
export const CASCADE_REASON = 'cascade';
/** The default reason of {@link RecomputeQueue.enqueue}. */
export const DEFAULT_REASON = 'change';
