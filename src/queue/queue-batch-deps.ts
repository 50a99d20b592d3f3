/**
 * What {@link runBatch} needs, as every queue wires it: the handlers' processor, and the cascade
 * queued back on the same queue with reason `cascade`. Written once so the queues cascade alike.
 */
import type { ErrorClassifier } from './classify-error.ts';
import type { QueueObserver } from './observer.ts';
import type { QueueHandlers } from './processor.ts';
import { CASCADE_REASON, type RecomputeQueue } from './recompute-queue.ts';
import type { RunBatchDeps } from './run-batch.ts';

/** The {@link RunBatchDeps} of `queue`, e.g. `runBatch(queueBatchDeps(this, handlers, classify, observer), items)`. */
export function queueBatchDeps(
  queue: Pick<RecomputeQueue, 'enqueue'>,
  handlers: QueueHandlers,
  classify: ErrorClassifier,
  observer: QueueObserver | undefined,
): RunBatchDeps {
  return {
    processor: handlers.recompute,
    classify,
    cascade: (refs, changedAt) => queue.enqueue(refs, { reason: CASCADE_REASON, changedAt }),
    observer,
  };
}
