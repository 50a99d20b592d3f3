/** The worker's validated configuration. Field meanings and defaults: fields.ts (and docs/worker.md). */
import type { RefreshSchedule } from '../queue/recompute-queue.ts';

/** Log levels accepted by `logLevel`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The BullMQ job layouts accepted by `queueJobs`. */
export const QUEUE_JOBS = ['per-object', 'batched'] as const;
/** A BullMQ job layout. */
export type QueueJobs = (typeof QUEUE_JOBS)[number];

/** The configuration of a worker process. */
export interface WorkerConfig {
  readonly mongodbUrl: string | null;
  readonly mongodbDb: string | null;
  readonly redisUrl: string | null;
  readonly cacheRedisUrl: string | null;
  readonly metaDir: string;
  readonly embeddedDb: string;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly attempts: number;
  readonly backoffMs: number;
  readonly schedules: readonly RefreshSchedule[];
  readonly queueName: string;
  /** How jobs carry objects on BullMQ: one job per object, or batches carried by a few jobs. */
  readonly queueJobs: QueueJobs;
  /** BullMQ: a running job's lock without renewal, ms — how soon a dead worker's jobs are seen stalled. */
  readonly lockDurationMs: number;
  /** BullMQ: how often stalled jobs are looked for, ms. */
  readonly stalledIntervalMs: number;
  readonly preImages: boolean;
  readonly leaderTtlMs: number;
  readonly httpHost: string;
  /** `0` turns the HTTP server off. */
  readonly httpPort: number;
  readonly logLevel: LogLevel;
}

/** Where the documents live: MongoDB when `mongodbUrl` is set, else the embedded store. */
export function storeMode(config: WorkerConfig): 'mongodb' | 'embedded' {
  return config.mongodbUrl ? 'mongodb' : 'embedded';
}

/** Which queue runs the jobs: BullMQ when `redisUrl` is set, else the in-process queue. */
export function queueMode(config: WorkerConfig): 'bullmq' | 'in-process' {
  return config.redisUrl ? 'bullmq' : 'in-process';
}
