/**
 * The shutdown order of the BullMQ queues: workers first, then queues. A running job still adds
 * jobs (cascades, refresh pages) through the queues, so they stay open until the workers are done.
 */
import type { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import { closeQueue, closeWorker, type RunningWork } from './close-worker.ts';

/** What {@link closeWorkersThenQueues} closes; a worker is null when the queue was never started. */
export interface BullmqClients {
  readonly workers: readonly (Worker | null)[];
  readonly queues: readonly Queue[];
  readonly running: RunningWork;
  readonly log: Logger;
  /** Runs once every worker was asked to close, before waiting for them (e.g. to flush a batcher holding their jobs). */
  readonly whileWorkersClose?: () => void;
}

/** Closes the workers gracefully (in parallel), then the queues (in parallel). */
export async function closeWorkersThenQueues(clients: BullmqClients): Promise<void> {
  const { workers, queues, running, log, whileWorkersClose } = clients;
  const workersClosed = Promise.all(workers.map((worker) => worker && closeWorker(worker, running, log)));
  whileWorkersClose?.();
  await workersClosed;
  await Promise.all(queues.map((queue) => closeQueue(queue, log)));
}
