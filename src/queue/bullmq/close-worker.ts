/**
 * Closing BullMQ clients without hanging. `Worker.close()` waits for the running jobs — which is
 * what a graceful shutdown wants — but after its Redis connections were killed it was seen to
 * never resolve even with no job left running (about one run in ten of the connection-loss test).
 * So: wait for our own running work, give `close()` a grace period after that, then force it.
 */
import type { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';

/** Counts running work and tells when none is left. */
export class RunningWork {
  private count = 0;
  private waiters: (() => void)[] = [];

  /** Tracks `work` until it settles; returns it. */
  track<T>(work: Promise<T>): Promise<T> {
    this.count += 1;
    return work.finally(() => {
      this.count -= 1;
      if (this.count === 0) for (const resolve of this.waiters.splice(0)) resolve();
    });
  }

  /** Resolves when nothing tracked is running. */
  whenIdle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Closes a worker gracefully: waits for `running`, then at most `graceMs` more, then forces. */
export async function closeWorker(worker: Worker, running: RunningWork, log: Logger, graceMs = 2000): Promise<void> {
  const closed = worker.close().then(() => true);
  const settled = await Promise.race([closed, running.whenIdle().then(() => sleep(graceMs)).then(() => false)]);
  if (settled) return;
  log.warn('worker close still pending after its jobs finished: forcing it');
  await Promise.race([worker.close(true), sleep(graceMs)]);
}

/** Closes a queue, disconnecting it if the close does not finish within `graceMs`. */
export async function closeQueue(queue: Queue, log: Logger, graceMs = 2000): Promise<void> {
  const settled = await Promise.race([queue.close().then(() => true), sleep(graceMs).then(() => false)]);
  if (settled) return;
  log.warn('queue close still pending: disconnecting');
  await Promise.race([queue.disconnect(), sleep(graceMs)]);
}
