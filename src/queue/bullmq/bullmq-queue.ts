/**
 * The recompute queue on BullMQ (Redis). One job per object, deduplicated with BullMQ's
 * `deduplication: { id: 'class:id', keepLastIfActive: true }`: an add while the object's job waits
 * is ignored; an add while it runs is kept and becomes one new job when the running one ends. So
 * at most one job per object waits while one runs and no change is lost.
 *
 * Jobs are fetched one per concurrency slot (BullMQ has no batch fetch in its open-source
 * edition) with `batchSize × concurrency` slots, and a {@link MicroBatcher} gathers them into
 * processor calls of up to `batchSize` objects: the per-job Redis round trips are pipelined on
 * one connection, the processor's own cost is paid once per batch.
 */
import { Queue, Worker, UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import type { Logger } from 'pino';
import { silentLogger } from '../../log/logger.ts';
import { classifyError, type ErrorClassifier } from '../classify-error.ts';
import { waitIdle } from '../idle.ts';
import { MicroBatcher } from '../micro-batcher.ts';
import { notify } from '../observer.ts';
import { refKey, uniqueRefs, type ObjectRef } from '../object-ref.ts';
import type { QueueHandlers } from '../processor.ts';
import { queueBatchDeps } from '../queue-batch-deps.ts';
import { QueueLifecycle } from '../queue-lifecycle.ts';
import {
  DEFAULT_REASON,
  type EnqueueOptions, type FailedJob, type QueueCounts, type RecomputeQueue, type RefreshSchedule,
} from '../recompute-queue.ts';
import { runBatch, type BatchItem, type ItemOutcome } from '../run-batch.ts';
import { BULLMQ_DEFAULTS, type BullmqQueueOptions } from './bullmq-options.ts';
import { RunningWork } from './close-worker.ts';
import { closeWorkersThenQueues } from './close-workers-then-queues.ts';
import { addRefreshJob, runRefreshJob, syncSchedules } from './refresh-job.ts';
import {
  RECOMPUTE_JOB, REFRESH_CLASS_JOB,
  type QueueJobData, type RecomputeJobData, type RefreshClassJobData,
} from './job-data.ts';

/** `addBulk` chunk: large enough to amortise round trips, small enough to keep Redis responsive. */
const ADD_CHUNK = 1000;

type Settings = Required<Omit<BullmqQueueOptions, 'observer' | 'logger' | 'classify'>>;

/** Creates the BullMQ queue (a producer at once; a worker after {@link RecomputeQueue.start}). */
export function createBullmqQueue(options: BullmqQueueOptions): BullmqRecomputeQueue {
  return new BullmqRecomputeQueue(options);
}

/** The BullMQ implementation of {@link RecomputeQueue}. */
export class BullmqRecomputeQueue implements RecomputeQueue {
  readonly kind = 'bullmq' as const;
  readonly durable = true;
  /** The BullMQ queue, for the dashboard. */
  readonly queue: Queue<QueueJobData>;
  private readonly settings: Settings;
  private readonly classify: ErrorClassifier;
  private readonly log: Logger;
  private worker: Worker<QueueJobData> | null = null;
  private batcher: MicroBatcher<BatchItem, ItemOutcome> | null = null;
  private handlers: QueueHandlers | null = null;
  private readonly lifecycle = new QueueLifecycle();
  private readonly running = new RunningWork();

  constructor(private readonly options: BullmqQueueOptions) {
    this.settings = { ...BULLMQ_DEFAULTS, ...stripUndefined(options) } as Settings;
    this.classify = options.classify ?? classifyError;
    this.log = options.logger ?? silentLogger;
    this.queue = new Queue<QueueJobData>(this.settings.name, {
      connection: this.connection(),
      prefix: this.settings.prefix,
      defaultJobOptions: this.jobOptions(),
    });
    this.queue.on('error', (error) => this.log.warn({ err: error }, 'queue connection error'));
  }

  async enqueue(refs: readonly ObjectRef[], options: EnqueueOptions = {}): Promise<void> {
    const reason = options.reason ?? DEFAULT_REASON;
    const changedAt = options.changedAt ?? Date.now();
    notify(this.options.observer, 'enqueued', refs.length, reason);
    const unique = uniqueRefs(refs);
    for (let start = 0; start < unique.length; start += ADD_CHUNK) {
      const chunk = unique.slice(start, start + ADD_CHUNK);
      await this.queue.addBulk(
        chunk.map((ref) => ({
          name: RECOMPUTE_JOB,
          data: { className: ref.className, id: ref.id, reason, changedAt } satisfies RecomputeJobData,
          opts: { deduplication: { id: refKey(ref), keepLastIfActive: true } },
        })),
      );
    }
  }

  async refreshClass(className: string, reason = 'refresh'): Promise<void> {
    await addRefreshJob(this.queue, className, reason);
  }

  async setSchedules(schedules: readonly RefreshSchedule[]): Promise<void> {
    await syncSchedules(this.queue, schedules);
  }

  async start(handlers: QueueHandlers): Promise<void> {
    this.lifecycle.start();
    this.handlers = handlers;
    const { batchSize, concurrency, batchWaitMs } = this.settings;
    const deps = queueBatchDeps(this, handlers, this.classify, this.options.observer);
    this.batcher = new MicroBatcher<BatchItem, ItemOutcome>((items) => runBatch(deps, items), batchSize, batchWaitMs);
    this.worker = new Worker<QueueJobData>(this.settings.name, (job) => this.running.track(this.process(job)), {
      connection: this.connection(),
      prefix: this.settings.prefix,
      concurrency: batchSize * concurrency,
      lockDuration: this.settings.lockDurationMs,
      stalledInterval: this.settings.stalledIntervalMs,
      maxStalledCount: this.settings.maxStalledCount,
    });
    this.worker.on('error', (error) => this.log.warn({ err: error }, 'worker connection error'));
    this.worker.on('failed', (job, error) => {
      if (job) this.log.warn({ job: job.id, name: job.name, data: job.data, attempts: job.attemptsMade, err: error }, 'job failed');
    });
    await this.worker.waitUntilReady();
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'failed', 'completed');
    return {
      waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0),
      active: c.active ?? 0,
      delayed: c.delayed ?? 0,
      failed: c.failed ?? 0,
      completed: c.completed ?? 0,
    };
  }

  async failures(limit = 20): Promise<FailedJob[]> {
    if (limit <= 0) return []; // getFailed(0, 0) is the first job, not none
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.filter((job) => Boolean(job)).map((job) => describeFailure(job as Job<QueueJobData>));
  }

  idle(options: { readonly pollMs?: number; readonly timeoutMs?: number } = {}): Promise<void> {
    return waitIdle(() => this.counts(), options.pollMs ?? 100, options.timeoutMs);
  }

  close(): Promise<void> {
    return this.lifecycle.close(() => this.shutdown());
  }

  private shutdown(): Promise<void> {
    // worker.close() stops fetching and waits for active jobs; the batcher is flushed so the
    // jobs it holds do not wait for its timer.
    const flush = () => this.batcher?.flush();
    return closeWorkersThenQueues({ workers: [this.worker], queues: [this.queue], running: this.running, log: this.log, whileWorkersClose: flush });
  }

  private async process(job: Job<QueueJobData>): Promise<void> {
    if (job.name === REFRESH_CLASS_JOB) {
      return runRefreshJob(job as Job<RefreshClassJobData>, this.handlers?.pageClass, (refs, options) => this.enqueue(refs, options), this.settings.refreshPageSize);
    }
    const data = job.data as RecomputeJobData;
    const ref: ObjectRef = { className: data.className, id: data.id };
    const attempt = job.attemptsMade + 1;
    const batcher = this.batcher;
    if (!batcher) throw new Error('the queue is not started');
    const outcome = await batcher.submit({ ref, attempt, reason: data.reason, changedAt: data.changedAt ?? job.timestamp });
    if (outcome.ok) return;
    const final = outcome.permanent || attempt >= (job.opts.attempts ?? 1);
    notify(this.options.observer, 'failed', { ref, error: outcome.error, attempt, final });
    // UnrecoverableError moves the job straight to failed; its message keeps the original error's name.
    if (outcome.permanent) throw new UnrecoverableError(`${outcome.error.name}: ${outcome.error.message}`);
    throw outcome.error;
  }

  private connection() {
    // A client name makes the queue's connections visible in CLIENT LIST (operators, tests).
    return { url: this.settings.redisUrl, maxRetriesPerRequest: null, connectionName: `${this.settings.prefix}:${this.settings.name}` };
  }

  private jobOptions(): JobsOptions {
    const { attempts, backoffMs, keepCompleted, keepFailed } = this.settings;
    return {
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      // 0 keeps none (the cheapest completion); otherwise the newest `keepCompleted`, for the dashboard.
      removeOnComplete: keepCompleted === 0 ? true : { count: keepCompleted, age: 3600 },
      removeOnFail: { count: keepFailed, age: 7 * 24 * 3600 },
    };
  }
}

function describeFailure(job: Job<QueueJobData>): FailedJob {
  const data = job.data as Partial<RecomputeJobData & RefreshClassJobData>;
  const isRecompute = job.name === RECOMPUTE_JOB && typeof data.className === 'string' && typeof data.id === 'string';
  return {
    name: job.name,
    ref: isRecompute ? { className: data.className as string, id: data.id as string } : null,
    className: typeof data.className === 'string' ? data.className : null,
    error: job.failedReason ?? '',
    attempts: job.attemptsMade,
    failedAt: job.finishedOn ?? null,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
