/**
 * The recompute queue on Redis with many objects per BullMQ job, for throughput: the per-object
 * states (waiting, active, changed-while-active, delayed for a retry, failed) live in a few Redis
 * structures updated by atomic scripts (scripts.ts), and BullMQ jobs are only *carriers*: a
 * carrier takes a batch under a lease (its job id), runs it, records the outcomes, and takes the
 * next batch until nothing waits. Redis work per object is a few hash and sorted-set operations
 * instead of BullMQ's three job scripts.
 *
 * The semantics are those of {@link RecomputeQueue} (the contract tests run against it); what
 * differs from the per-object queue is what BullMQ sees — the dashboard shows carrier and
 * refresh jobs, not objects — and that failed objects are kept in a list of their own
 * (`failures()`), not as failed BullMQ jobs.
 *
 * Crash safety: a carrier's lease is reclaimed (its objects put back in front of waiting) when
 * its job runs again after a stall, or by any worker's sweep once the job's BullMQ lock expired.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { silentLogger } from '../../log/logger.ts';
import { classifyError, type ErrorClassifier } from '../classify-error.ts';
import { waitIdle } from '../idle.ts';
import { notify } from '../observer.ts';
import { parseRefKey, refKey, uniqueRefs, type ObjectRef } from '../object-ref.ts';
import type { QueueHandlers } from '../processor.ts';
import { queueBatchDeps } from '../queue-batch-deps.ts';
import { QueueLifecycle } from '../queue-lifecycle.ts';
import {
  DEFAULT_REASON,
  type EnqueueOptions, type FailedJob, type QueueCounts, type RecomputeQueue, type RefreshSchedule,
} from '../recompute-queue.ts';
import { runBatch, type BatchItem } from '../run-batch.ts';
import { BULLMQ_DEFAULTS } from '../bullmq/bullmq-options.ts';
import type { QueueJobData, RefreshClassJobData } from '../bullmq/job-data.ts';
import { RunningWork } from '../bullmq/close-worker.ts';
import { closeWorkersThenQueues } from '../bullmq/close-workers-then-queues.ts';
import { addRefreshJob, runRefreshJob, syncSchedules } from '../bullmq/refresh-job.ts';
import type { BatchedBullmqQueueOptions } from './batched-options.ts';
import { keyList, objectKeys, type ObjectKeys } from './object-keys.ts';
import { COUNTS, ENQUEUE, FINISH, RECLAIM, SWEEP, TAKE } from './scripts.ts';

/** Job name of a carrier. */
export const DRAIN_JOB = 'drain';
/** Refs per ENQUEUE script call: bounded so one call never holds Redis for long. */
const ENQUEUE_CHUNK = 1000;

/** The data an object carries while queued. */
interface ItemData {
  readonly reason: string;
  readonly changedAt: number;
  readonly attempt: number;
}

/** Creates the batched BullMQ queue. */
export function createBatchedBullmqQueue(options: BatchedBullmqQueueOptions): BatchedBullmqQueue {
  return new BatchedBullmqQueue(options);
}

/** The batched implementation of {@link RecomputeQueue}. */
export class BatchedBullmqQueue implements RecomputeQueue {
  readonly kind = 'bullmq' as const;
  readonly durable = true;
  /** The BullMQ queue of refresh jobs and schedulers, for the dashboard. */
  readonly queue: Queue<QueueJobData>;
  /** The BullMQ queue of carriers (`<name>-carriers`), for the dashboard. */
  readonly carriers: Queue<QueueJobData>;
  private readonly redis: Redis;
  private readonly keys: ObjectKeys;
  private readonly settings: typeof BULLMQ_DEFAULTS & { redisUrl: string; carrierSlots: number; sweepIntervalMs: number };
  private readonly classify: ErrorClassifier;
  private readonly log: Logger;
  private worker: Worker<QueueJobData> | null = null;
  private carrierWorker: Worker<QueueJobData> | null = null;
  private handlers: QueueHandlers | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly lifecycle = new QueueLifecycle();
  private nextSlot = 0;
  private readonly running = new RunningWork();

  constructor(private readonly options: BatchedBullmqQueueOptions) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const merged = { ...BULLMQ_DEFAULTS, ...given } as typeof BULLMQ_DEFAULTS & { redisUrl: string };
    this.settings = {
      ...merged,
      carrierSlots: options.carrierSlots ?? merged.concurrency * 4,
      sweepIntervalMs: options.sweepIntervalMs ?? merged.lockDurationMs,
    };
    this.classify = options.classify ?? classifyError;
    this.log = options.logger ?? silentLogger;
    this.keys = objectKeys(this.settings.prefix, this.settings.name);
    this.redis = new Redis(this.settings.redisUrl, { maxRetriesPerRequest: null, connectionName: this.connectionName() });
    this.redis.on('error', (error) => this.log.warn({ err: error }, 'queue connection error'));
    this.queue = new Queue<QueueJobData>(this.settings.name, {
      connection: this.connection(),
      prefix: this.settings.prefix,
      defaultJobOptions: {
        attempts: this.settings.attempts,
        backoff: { type: 'exponential', delay: this.settings.backoffMs },
        removeOnComplete: { count: this.settings.keepCompleted ?? 1000, age: 3600 },
        removeOnFail: { count: 1000 },
      },
    });
    this.queue.on('error', (error) => this.log.warn({ err: error }, 'queue connection error'));
    this.carriers = new Queue<QueueJobData>(this.carrierQueueName(), {
      connection: this.connection(),
      prefix: this.settings.prefix,
      defaultJobOptions: { attempts: 20, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: true, removeOnFail: { count: 1000 } },
    });
    this.carriers.on('error', (error) => this.log.warn({ err: error }, 'queue connection error'));
  }

  async enqueue(refs: readonly ObjectRef[], options: EnqueueOptions = {}): Promise<void> {
    const reason = options.reason ?? DEFAULT_REASON;
    notify(this.options.observer, 'enqueued', refs.length, reason);
    const json = JSON.stringify({ reason, changedAt: options.changedAt ?? Date.now(), attempt: 1 } satisfies ItemData);
    const unique = uniqueRefs(refs);
    let added = 0;
    for (let start = 0; start < unique.length; start += ENQUEUE_CHUNK) {
      const args = [this.keys.base];
      for (const ref of unique.slice(start, start + ENQUEUE_CHUNK)) args.push(refKey(ref), json);
      added += Number(await this.script(ENQUEUE, args));
    }
    if (added > 0) await this.wake(Math.ceil(added / this.settings.batchSize));
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
    const workerOptions = {
      connection: this.connection(),
      prefix: this.settings.prefix,
      lockDuration: this.settings.lockDurationMs,
      stalledInterval: this.settings.stalledIntervalMs,
      maxStalledCount: this.settings.maxStalledCount,
    };
    this.worker = new Worker<QueueJobData>(
      this.settings.name,
      (job) => this.running.track(runRefreshJob(job as Job<RefreshClassJobData>, handlers.pageClass, (refs, options) => this.enqueue(refs, options), this.settings.refreshPageSize)),
      { ...workerOptions, concurrency: 1 },
    );
    this.carrierWorker = new Worker<QueueJobData>(this.carrierQueueName(), (job) => this.running.track(this.drain(job)), { ...workerOptions, concurrency: this.settings.concurrency });
    for (const worker of [this.worker, this.carrierWorker]) {
      worker.on('error', (error) => this.log.warn({ err: error }, 'worker connection error'));
      await worker.waitUntilReady();
    }
    // Objects left waiting by a previous run need carriers; dead workers' leases come back.
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep().catch((error: unknown) => this.log.warn({ err: error }, 'sweep failed')), this.settings.sweepIntervalMs);
    this.sweeper.unref();
  }

  async counts(): Promise<QueueCounts> {
    const [objects, jobs] = await Promise.all([
      this.script(COUNTS, []) as Promise<number[]>,
      this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
    ]);
    const [waiting = 0, dirty = 0, active = 0, delayed = 0, failed = 0, completed = 0] = objects.map(Number);
    // Refresh jobs count too, so that "idle" also means no refresh is paging (scheduler runs
    // waiting for their time are delayed jobs: only with schedules is the queue never idle).
    return {
      waiting: waiting + dirty + (jobs.waiting ?? 0) + (jobs.prioritized ?? 0),
      active: active + (jobs.active ?? 0),
      delayed: delayed + (jobs.delayed ?? 0),
      failed,
      completed,
    };
  }

  async failures(limit = 20): Promise<FailedJob[]> {
    if (limit <= 0) return [];
    const records = await this.redis.lrange(this.keys.failed, 0, limit - 1);
    return records.map((record) => JSON.parse(record) as FailedJob);
  }

  idle(options: { readonly pollMs?: number; readonly timeoutMs?: number } = {}): Promise<void> {
    return waitIdle(() => this.counts(), options.pollMs ?? 100, options.timeoutMs);
  }

  /** Removes the queue and every key of its objects from Redis (tests, decommissioning). */
  async obliterate(): Promise<void> {
    await this.queue.obliterate({ force: true });
    await this.carriers.obliterate({ force: true });
    const leases = await this.redis.smembers(this.keys.leases);
    await this.redis.del(...keyList(this.keys), ...leases.map((lease) => `${this.keys.base}obj:lease:${lease}`));
  }

  close(): Promise<void> {
    return this.lifecycle.close(() => this.shutdown());
  }

  private async shutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    // Carriers stop taking batches once closing is set; worker.close waits for the running ones.
    await closeWorkersThenQueues({ workers: [this.worker, this.carrierWorker], queues: [this.queue, this.carriers], running: this.running, log: this.log });
    this.redis.disconnect();
  }

  /** A carrier: batch after batch under the lease `job.id`, until nothing waits or the queue closes. */
  private async drain(job: Job<QueueJobData>): Promise<void> {
    const lease = job.id as string;
    const handlers = this.handlers as QueueHandlers;
    // A run after a stall: the objects of the previous run go back first.
    await this.script(RECLAIM, [this.keys.base, lease]);
    while (!this.lifecycle.closing) {
      const pairs = (await this.script(TAKE, [this.keys.base, lease, String(this.settings.batchSize), String(Date.now())])) as string[];
      if (pairs.length === 0) return;
      const items: BatchItem[] = [];
      for (let i = 0; i < pairs.length; i += 2) {
        const data = JSON.parse(pairs[i + 1] as string) as Partial<ItemData>;
        items.push({ ref: parseRefKey(pairs[i] as string), attempt: data.attempt ?? 1, reason: data.reason ?? DEFAULT_REASON, changedAt: data.changedAt ?? Date.now() });
      }
      const outcomes = await runBatch(queueBatchDeps(this, handlers, this.classify, this.options.observer), items);
      const args = [this.keys.base, lease, String(this.settings.keepFailed)];
      const now = Date.now();
      items.forEach((item, index) => {
        const outcome = outcomes[index] ?? { ok: true as const };
        const key = refKey(item.ref);
        if (outcome.ok) {
          args.push(key, 'ok', '0', '');
          return;
        }
        const final = outcome.permanent || item.attempt >= this.settings.attempts;
        notify(this.options.observer, 'failed', { ref: item.ref, error: outcome.error, attempt: item.attempt, final });
        this.log.warn({ class: item.ref.className, id: item.ref.id, attempt: item.attempt, err: outcome.error }, 'object failed');
        if (final) {
          const record: FailedJob = {
            name: 'recompute', ref: item.ref, className: item.ref.className,
            error: `${outcome.error.name}: ${outcome.error.message}`, attempts: item.attempt, failedAt: now,
          };
          args.push(key, 'fail', '0', JSON.stringify(record));
        } else {
          const due = now + this.settings.backoffMs * 2 ** (item.attempt - 1);
          args.push(key, 'retry', String(due), JSON.stringify({ reason: item.reason, changedAt: item.changedAt, attempt: item.attempt + 1 } satisfies ItemData));
        }
      });
      const [waiting, firstDue] = (await this.script(FINISH, args)) as [number, string];
      const due = Number(firstDue);
      // Retries need a carrier when they fall due: a delayed one (same due time → same job id).
      if (Number(waiting) === 0 && due >= 0) await this.wakeAt(due);
    }
  }

  /** Makes sure up to `count` carriers are queued (one per slot, round robin; a slot holds one waiting while one runs). */
  private async wake(count: number): Promise<void> {
    const slots = Math.min(Math.max(1, count), this.settings.carrierSlots);
    const jobs = [];
    for (let k = 0; k < slots; k += 1) {
      const slot = (this.nextSlot + k) % this.settings.carrierSlots;
      jobs.push({ name: DRAIN_JOB, data: {} as QueueJobData, opts: { deduplication: { id: `drain:${slot}`, keepLastIfActive: true } } });
    }
    this.nextSlot = (this.nextSlot + slots) % this.settings.carrierSlots;
    await this.carriers.addBulk(jobs);
  }

  /** Reclaims dead workers' leases and wakes carriers for whatever waits. */
  private async sweep(): Promise<void> {
    await this.script(SWEEP, [this.keys.base, `${this.settings.prefix}:${this.carrierQueueName()}:`]);
    // Every slot: one may be held by a carrier that is stuck or dead (until BullMQ's stalled
    // check frees it), and this is a rare safety net, not the normal wake-up.
    const waiting = await this.redis.zcard(this.keys.waiting);
    if (waiting > 0) await this.wake(this.settings.carrierSlots);
    const [, firstDue] = (await this.redis.call('ZRANGE', this.keys.delayed, '0', '0', 'WITHSCORES')) as string[];
    if (firstDue !== undefined) await this.wakeAt(Number(firstDue));
  }

  /** A carrier for the retries due at `due` (one job per due time). */
  private async wakeAt(due: number): Promise<void> {
    await this.carriers.add(DRAIN_JOB, {} as QueueJobData, { delay: Math.max(0, due - Date.now()), jobId: `drain-at-${due}` });
  }

  private script(source: string, args: readonly string[]): Promise<unknown> {
    return this.redis.eval(source, 9, ...keyList(this.keys), ...args);
  }

  private carrierQueueName(): string {
    return `${this.settings.name}-carriers`;
  }

  private connectionName(): string {
    return `${this.settings.prefix}:${this.settings.name}`;
  }

  private connection() {
    return { url: this.settings.redisUrl, maxRetriesPerRequest: null, connectionName: this.connectionName() };
  }
}
