/** Options of the in-process queue, field by field, with their defaults. */
import type { Logger } from 'pino';
import type { ErrorClassifier } from '../classify-error.ts';
import type { QueueObserver } from '../observer.ts';

/** Options of {@link createInProcessQueue}. */
export interface InProcessQueueOptions {
  /** Most objects per processor call (default 100). */
  readonly batchSize?: number;
  /** How many processor calls may run at once (default 4). */
  readonly concurrency?: number;
  /** Attempts per job before it is kept failed (default 5). */
  readonly attempts?: number;
  /** First retry delay in ms, doubled on each further attempt (default 1000). */
  readonly backoffMs?: number;
  /** Failed jobs kept with their error (default 1000, oldest dropped first). */
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

/** The defaults of {@link InProcessQueueOptions}. */
export const IN_PROCESS_DEFAULTS = Object.freeze({
  batchSize: 100,
  concurrency: 4,
  attempts: 5,
  backoffMs: 1000,
  keepFailed: 1000,
  refreshPageSize: 1000,
});
