/**
 * Picks the queue from the configuration: BullMQ when a Redis URL is set, else the in-process
 * queue. The option names match the worker configuration's, so the composition root can pass
 * the configuration object straight through.
 */
import type { Logger } from 'pino';
import { createBullmqQueue } from './bullmq/bullmq-queue.ts';
import { createBatchedBullmqQueue } from './bullmq-batched/batched-queue.ts';
import type { ErrorClassifier } from './classify-error.ts';
import { createInProcessQueue } from './in-process/in-process-queue.ts';
import type { QueueObserver } from './observer.ts';
import type { RecomputeQueue } from './recompute-queue.ts';

/** What {@link createRecomputeQueue} reads (a subset of the worker configuration). */
export interface QueueSettings {
  /** `null`: the in-process queue. */
  readonly redisUrl: string | null;
  readonly queueName?: string;
  /** BullMQ job layout (default `batched`); see the `RECALC_QUEUE_JOBS` setting. */
  readonly queueJobs?: 'per-object' | 'batched';
  readonly batchSize?: number;
  readonly concurrency?: number;
  readonly attempts?: number;
  readonly backoffMs?: number;
  /** BullMQ: how long a running job's lock lasts (ms) — how soon a dead worker's jobs are seen stalled. */
  readonly lockDurationMs?: number;
  /** BullMQ: how often stalled jobs are looked for (ms). */
  readonly stalledIntervalMs?: number;
  readonly observer?: QueueObserver;
  readonly classify?: ErrorClassifier;
  readonly logger?: Logger;
}

/** Creates the queue the settings ask for. */
export function createRecomputeQueue(settings: QueueSettings): RecomputeQueue {
  const common = {
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
    observer: settings.observer,
    classify: settings.classify,
    logger: settings.logger,
  };
  const redis = { lockDurationMs: settings.lockDurationMs, stalledIntervalMs: settings.stalledIntervalMs, name: settings.queueName };
  if (settings.redisUrl && settings.queueJobs === 'per-object') {
    return createBullmqQueue({ ...common, ...redis, redisUrl: settings.redisUrl });
  }
  if (settings.redisUrl) return createBatchedBullmqQueue({ ...common, ...redis, redisUrl: settings.redisUrl });
  return createInProcessQueue(common);
}
