/** The "refresh a whole class" job and the cron schedulers that create it, shared by both BullMQ queues. */
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { ObjectRef } from '../object-ref.ts';
import type { ClassPager } from '../processor.ts';
import type { EnqueueOptions, RefreshSchedule } from '../recompute-queue.ts';
import { REFRESH_CLASS_JOB, type QueueJobData, type RefreshClassJobData } from './job-data.ts';

/** Scheduler ids this queue owns start with this, so foreign schedulers are left alone. */
const SCHEDULE_PREFIX = 'schedule:';

/** Queues a refresh of a class: one job per class at a time (a second request is absorbed). */
export async function addRefreshJob(queue: Queue<QueueJobData>, className: string, reason: string): Promise<void> {
  const data: RefreshClassJobData = { className, reason, cursor: null };
  await queue.add(REFRESH_CLASS_JOB, data, { deduplication: { id: `refresh:${className}` } });
}

/**
 * Runs a refresh job: pages through the class and queues every object. The cursor is saved in
 * the job's data after each page, so a refresh interrupted by a crash resumes there.
 */
export async function runRefreshJob(
  job: Job<RefreshClassJobData>,
  pageClass: ClassPager | undefined,
  enqueue: (refs: readonly ObjectRef[], options: EnqueueOptions) => Promise<void>,
  pageSize: number,
): Promise<void> {
  if (!pageClass) throw new UnrecoverableError('no class pager is configured: refresh jobs cannot run');
  const { className, reason } = job.data;
  let cursor = job.data.cursor;
  do {
    const page = await pageClass(className, cursor, pageSize);
    await enqueue(page.ids.map((id) => ({ className, id })), { reason });
    cursor = page.next;
    await job.updateData({ ...job.data, cursor });
  } while (cursor !== null);
}

/** Makes the queue's job schedulers the given schedules: one per (schedule, class), others removed. */
export async function syncSchedules(queue: Queue<QueueJobData>, schedules: readonly RefreshSchedule[]): Promise<void> {
  const wanted = new Map<string, { schedule: RefreshSchedule; className: string }>();
  for (const schedule of schedules) {
    for (const className of schedule.classes) wanted.set(`${SCHEDULE_PREFIX}${schedule.name}:${className}`, { schedule, className });
  }
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.key;
    if (id.startsWith(SCHEDULE_PREFIX) && !wanted.has(id)) await queue.removeJobScheduler(id);
  }
  for (const [id, { schedule, className }] of wanted) {
    const data: RefreshClassJobData = { className, reason: 'schedule', cursor: null };
    await queue.upsertJobScheduler(id, { pattern: schedule.cron, tz: schedule.tz ?? 'UTC' }, { name: REFRESH_CLASS_JOB, data });
  }
}
