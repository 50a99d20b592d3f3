/** The data of the jobs on the BullMQ queue, and their names. */

/** Job name of a per-object recompute. */
export const RECOMPUTE_JOB = 'recompute';
/** Job name of a "refresh every object of a class" job. */
export const REFRESH_CLASS_JOB = 'refresh-class';

/** Data of a {@link RECOMPUTE_JOB}. */
export interface RecomputeJobData {
  readonly className: string;
  readonly id: string;
  readonly reason: string;
  /** When the change happened (epoch ms). */
  readonly changedAt: number;
}

/** Data of a {@link REFRESH_CLASS_JOB}; `cursor` advances as pages are queued so a retried job resumes. */
export interface RefreshClassJobData {
  readonly className: string;
  readonly reason: string;
  readonly cursor: string | null;
}

/** Any job's data. */
export type QueueJobData = RecomputeJobData | RefreshClassJobData;
