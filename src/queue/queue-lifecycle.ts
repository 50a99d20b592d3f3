/**
 * The start/close bookkeeping every {@link RecomputeQueue} keeps: start once and never after
 * close, close once (every later call gets the same promise). Written once so that the queues
 * answer misuse with the same errors.
 */
import type { RecomputeQueue } from './recompute-queue.ts';

/** Whether a queue was started, and its shutdown once one was asked for. */
export class QueueLifecycle {
  private started = false;
  private shutdown: Promise<void> | null = null;

  /** True from the first {@link close} call on (the shutdown may still be running). */
  get closing(): boolean {
    return this.shutdown !== null;
  }

  /** Marks the queue started; throws if it was started before or is closing. */
  start(): void {
    if (this.started) throw new Error('the queue is already started');
    this.assertOpen();
    this.started = true;
  }

  /** Throws once the queue is closing. */
  assertOpen(): void {
    if (this.closing) throw new Error('the queue is closed');
  }

  /** Runs `shutdown` on the first call only; every call returns that run. */
  close(shutdown: () => Promise<void>): Promise<void> {
    this.shutdown ??= shutdown();
    return this.shutdown;
  }
}
