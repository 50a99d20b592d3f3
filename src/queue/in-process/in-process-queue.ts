/**
 * The recompute queue of the embedded mode: the same semantics as the BullMQ queue, in memory.
 * Not durable — a feed in front of it checkpoints only once the queue is idle.
 *
 * Per object (`class:id`) there is at most one entry in `waiting` (or `delayed`, for a retry) and
 * one in `active`; an enqueue while the object is active goes to `dirty` and moves to `waiting`
 * when the active run ends, so a change during a recompute is never lost.
 */
import type { Logger } from 'pino';
import { silentLogger } from '../../log/logger.ts';
import { classifyError, toError, type ErrorClassifier } from '../classify-error.ts';
import { waitIdle } from '../idle.ts';
import { notify } from '../observer.ts';
import { refKey, uniqueRefs, type ObjectRef } from '../object-ref.ts';
import type { QueueHandlers } from '../processor.ts';
import { queueBatchDeps } from '../queue-batch-deps.ts';
import { QueueLifecycle } from '../queue-lifecycle.ts';
import {
  DEFAULT_REASON,
  type EnqueueOptions, type FailedJob, type QueueCounts, type RecomputeQueue, type RefreshSchedule,
} from '../recompute-queue.ts';
import { runBatch, type BatchItem } from '../run-batch.ts';
import { startCronTimer, type CronTimer } from './cron-timer.ts';
import { IN_PROCESS_DEFAULTS, type InProcessQueueOptions } from './in-process-options.ts';

type Settings = Required<Omit<InProcessQueueOptions, 'observer' | 'logger' | 'classify'>>;

/** Creates an in-process queue. */
export function createInProcessQueue(options: InProcessQueueOptions = {}): InProcessRecomputeQueue {
  return new InProcessRecomputeQueue(options);
}

/** The in-memory implementation of {@link RecomputeQueue}. */
export class InProcessRecomputeQueue implements RecomputeQueue {
  readonly kind = 'in-process' as const;
  readonly durable = false;
  private readonly settings: Settings;
  private readonly classify: ErrorClassifier;
  private readonly log: Logger;
  private readonly waiting = new Map<string, BatchItem>();
  private readonly active = new Set<string>();
  private readonly dirty = new Map<string, BatchItem>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly refreshing = new Set<string>();
  private readonly failed: FailedJob[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly cronTimers: CronTimer[] = [];
  private completed = 0;
  private runningBatches = 0;
  private pumpScheduled = false;
  private handlers: QueueHandlers | null = null;
  private readonly lifecycle = new QueueLifecycle();
  private markStarted!: () => void;
  /** Refresh jobs requested before {@link start} wait for it (they need the pager). */
  private readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));
  private markClosed!: () => void;
  private readonly closedSignal = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(private readonly options: InProcessQueueOptions = {}) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.settings = { ...IN_PROCESS_DEFAULTS, ...given } as Settings;
    this.classify = options.classify ?? classifyError;
    this.log = options.logger ?? silentLogger;
  }

  async enqueue(refs: readonly ObjectRef[], options: EnqueueOptions = {}): Promise<void> {
    this.lifecycle.assertOpen();
    const reason = options.reason ?? DEFAULT_REASON;
    const changedAt = options.changedAt ?? Date.now();
    notify(this.options.observer, 'enqueued', refs.length, reason);
    for (const ref of uniqueRefs(refs)) {
      const key = refKey(ref);
      const item: BatchItem = { ref, attempt: 1, reason, changedAt };
      if (this.active.has(key)) {
        // Keep the latest: it runs once the current run ends.
        this.dirty.set(key, item);
      } else if (!this.waiting.has(key) && !this.delayed.has(key)) {
        this.waiting.set(key, item);
      }
    }
    this.schedulePump();
  }

  async refreshClass(className: string, reason = 'refresh'): Promise<void> {
    this.lifecycle.assertOpen();
    if (this.refreshing.has(className)) return;
    this.refreshing.add(className);
    this.track(this.refresh(className, reason).finally(() => this.refreshing.delete(className)));
  }

  async setSchedules(schedules: readonly RefreshSchedule[]): Promise<void> {
    for (const timer of this.cronTimers.splice(0)) timer.stop();
    for (const schedule of schedules) {
      this.cronTimers.push(
        startCronTimer(schedule.cron, schedule.tz ?? 'UTC', () => {
          for (const className of schedule.classes) void this.refreshClass(className, 'schedule').catch(() => undefined);
        }),
      );
    }
  }

  async start(handlers: QueueHandlers): Promise<void> {
    this.lifecycle.start();
    this.handlers = handlers;
    this.markStarted();
    this.schedulePump();
  }

  async counts(): Promise<QueueCounts> {
    return {
      waiting: this.waiting.size + this.dirty.size,
      active: this.active.size + this.refreshing.size,
      delayed: this.delayed.size,
      failed: this.failed.length,
      completed: this.completed,
    };
  }

  async failures(limit = 20): Promise<FailedJob[]> {
    if (limit <= 0) return []; // slice(-0) would be the whole list
    return this.failed.slice(-limit).reverse();
  }

  idle(options: { readonly pollMs?: number; readonly timeoutMs?: number } = {}): Promise<void> {
    return waitIdle(() => this.counts(), options.pollMs ?? 10, options.timeoutMs);
  }

  close(): Promise<void> {
    return this.lifecycle.close(() => this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.markClosed();
    for (const timer of this.cronTimers.splice(0)) timer.stop();
    // Delayed retries are dropped: in-process jobs do not outlive the process anyway, and the
    // feed has not checkpointed past them (it waits for idle).
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    // On the next turn, so that the enqueues of one tick fill batches together.
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    const handlers = this.handlers;
    if (!handlers || this.lifecycle.closing) return;
    while (this.runningBatches < this.settings.concurrency && this.waiting.size > 0) {
      const batch: BatchItem[] = [];
      for (const [key, item] of this.waiting) {
        if (batch.length >= this.settings.batchSize) break;
        this.waiting.delete(key);
        this.active.add(key);
        batch.push(item);
      }
      this.runningBatches += 1;
      this.track(this.runOne(handlers, batch).finally(() => {
        this.runningBatches -= 1;
        this.schedulePump();
      }));
    }
  }

  private async runOne(handlers: QueueHandlers, batch: BatchItem[]): Promise<void> {
    const deps = queueBatchDeps(this, handlers, this.classify, this.options.observer);
    const outcomes = await runBatch(deps, batch).catch((error: unknown) =>
      batch.map(() => ({ ok: false as const, error: toError(error), permanent: false })),
    );
    batch.forEach((item, index) => {
      const key = refKey(item.ref);
      const outcome = outcomes[index] ?? { ok: true };
      this.active.delete(key);
      const next = this.dirty.get(key);
      this.dirty.delete(key);
      if (outcome.ok) {
        this.completed += 1;
      } else {
        const final = outcome.permanent || item.attempt >= this.settings.attempts;
        notify(this.options.observer, 'failed', { ref: item.ref, error: outcome.error, attempt: item.attempt, final });
        this.log.warn({ class: item.ref.className, id: item.ref.id, attempt: item.attempt, err: outcome.error }, 'job failed');
        if (final) this.keepFailed(item, outcome.error);
        else if (!next) this.retryLater(key, item);
      }
      // A change that arrived during the run: runs now (it also serves as the retry).
      if (next && !this.lifecycle.closing) this.waiting.set(key, next);
    });
  }

  private retryLater(key: string, item: BatchItem): void {
    if (this.lifecycle.closing) return;
    const delay = this.settings.backoffMs * 2 ** (item.attempt - 1);
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      if (this.lifecycle.closing) return;
      if (this.active.has(key)) this.dirty.set(key, { ...item, attempt: item.attempt + 1 });
      else if (!this.waiting.has(key)) this.waiting.set(key, { ...item, attempt: item.attempt + 1 });
      this.schedulePump();
    }, delay);
    this.delayed.set(key, timer);
  }

  private keepFailed(item: BatchItem, error: Error): void {
    this.failed.push({
      name: 'recompute',
      ref: item.ref,
      className: item.ref.className,
      error: `${error.name}: ${error.message}`,
      attempts: item.attempt,
      failedAt: Date.now(),
    });
    if (this.failed.length > this.settings.keepFailed) this.failed.splice(0, this.failed.length - this.settings.keepFailed);
  }

  private async refresh(className: string, reason: string): Promise<void> {
    await Promise.race([this.started, this.closedSignal]);
    if (this.lifecycle.closing) return;
    const pageClass = this.handlers?.pageClass;
    try {
      if (!pageClass) throw new Error('no class pager is configured: refresh jobs cannot run');
      let cursor: string | null = null;
      do {
        const page = await pageClass(className, cursor, this.settings.refreshPageSize);
        if (this.lifecycle.closing) return;
        await this.enqueue(page.ids.map((id) => ({ className, id })), { reason });
        cursor = page.next;
      } while (cursor !== null);
    } catch (thrown) {
      const error = toError(thrown);
      this.log.warn({ class: className, err: error }, 'class refresh failed');
      this.failed.push({ name: 'refresh-class', ref: null, className, error: `${error.name}: ${error.message}`, attempts: 1, failedAt: Date.now() });
    }
  }

  private track(promise: Promise<void>): void {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }
}
