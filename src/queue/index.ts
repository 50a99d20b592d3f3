/** The queue layer's public entry. */
export { refKey, parseRefKey, uniqueRefs, isObjectRef, type ObjectRef } from './object-ref.ts';
export type { BatchContext, BatchResult, ObjectFailure, RecomputeProcessor, ClassPage, ClassPager, QueueHandlers } from './processor.ts';
export {
  CASCADE_REASON, DEFAULT_REASON,
  type RecomputeQueue, type EnqueueOptions, type QueueCounts, type FailedJob, type RefreshSchedule,
} from './recompute-queue.ts';
export { classifyError, PermanentJobError, PERMANENT_ERROR_NAMES, type ErrorClass, type ErrorClassifier } from './classify-error.ts';
export type { QueueObserver, BatchReport, FailureReport } from './observer.ts';
export { IdleTimeoutError, isIdle, waitIdle } from './idle.ts';
export { createBullmqQueue, BullmqRecomputeQueue } from './bullmq/bullmq-queue.ts';
export { BULLMQ_DEFAULTS, type BullmqQueueOptions } from './bullmq/bullmq-options.ts';
export { RECOMPUTE_JOB, REFRESH_CLASS_JOB } from './bullmq/job-data.ts';
export { createInProcessQueue, InProcessRecomputeQueue } from './in-process/in-process-queue.ts';
export { createBatchedBullmqQueue, BatchedBullmqQueue, DRAIN_JOB } from './bullmq-batched/batched-queue.ts';
export type { BatchedBullmqQueueOptions } from './bullmq-batched/batched-options.ts';
export { IN_PROCESS_DEFAULTS, type InProcessQueueOptions } from './in-process/in-process-options.ts';
export { refreshKeys, refreshWholeClass, RefreshRequestError, REFRESH_REASON } from './refresh-keys.ts';
export { createRecomputeQueue, type QueueSettings } from './create-queue.ts';
