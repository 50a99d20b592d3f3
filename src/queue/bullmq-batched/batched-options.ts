/** Options of the batched BullMQ queue: those of the per-object queue, plus the carrier slots. */
import type { BullmqQueueOptions } from '../bullmq/bullmq-options.ts';

/** Options of {@link createBatchedBullmqQueue}. */
export interface BatchedBullmqQueueOptions extends Omit<BullmqQueueOptions, 'batchWaitMs' | 'keepCompleted'> {
  /**
   * How many carrier jobs may run at once across all worker processes (default
   * `concurrency × 4`, room for four processes). Each carrier drains batches until no object waits.
   */
  readonly carrierSlots?: number;
  /** How often each worker looks for the leases of dead workers, in ms (default `lockDurationMs`). */
  readonly sweepIntervalMs?: number;
}
