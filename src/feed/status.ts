/**
 * What `recalc status` shows, and what `--wait-idle` waits for: the feed's position against the
 * head of the change log, the queue's counts and its latest failures.
 */
import type { FailedJob, QueueCounts, RecomputeQueue } from '../queue/recompute-queue.ts';
import { isIdle } from '../queue/idle.ts';
import { journalPosition, type CheckpointStore } from './checkpoint.ts';

/** Where the status is read from. */
export interface StatusSources {
  /** The feed's checkpoint (the embedded feed's: `storeCheckpoint(store, 'feed')`). */
  readonly checkpoint: CheckpointStore;
  /** The head of the change log (`store.headSequence`); absent for MongoDB, whose position is a token. */
  readonly head?: () => Promise<number>;
  /** The queue (a BullMQ producer reads the shared counts; absent when the queue is another process's memory). */
  readonly queue?: Pick<RecomputeQueue, 'counts' | 'failures'>;
  /** The oldest journal record kept (`EmbeddedStore.oldestChange`); absent for MongoDB. */
  readonly oldest?: () => Promise<{ readonly seq: number; readonly time: Date } | null>;
}

/** A snapshot of the worker's progress. */
export interface WorkerStatus {
  readonly feed: {
    /** The checkpoint as stored (a sequence number, or a resume token), `null` before the first. */
    readonly checkpoint: string | null;
    /** The checkpoint as a sequence number, when it is one. */
    readonly position: number | null;
    readonly head: number | null;
    /** Changes not yet read: `head − position`, when both are known. */
    readonly behind: number | null;
  };
  readonly queue: QueueCounts | null;
  readonly failures: readonly FailedJob[];
  /**
   * The embedded journal: how many records it keeps (it grows with every change until
   * `recalc prune-journal`) and the oldest; `null` for MongoDB.
   */
  readonly journal: { readonly records: number; readonly oldest: { readonly seq: number; readonly time: string } | null } | null;
}

/** Reads the status. */
export async function readStatus(sources: StatusSources, failureLimit = 10): Promise<WorkerStatus> {
  const [checkpoint, head, counts, failures, oldest] = await Promise.all([
    sources.checkpoint.load(),
    sources.head ? sources.head() : Promise.resolve(null),
    sources.queue ? sources.queue.counts() : Promise.resolve(null),
    sources.queue ? sources.queue.failures(failureLimit) : Promise.resolve([]),
    sources.oldest ? sources.oldest() : Promise.resolve(undefined),
  ]);
  const parsed = checkpoint !== null ? journalPosition(checkpoint) : null;
  // Sequence numbers have no gaps but the pruned prefix: the records kept are oldest..head.
  const journal = oldest === undefined || head === null
    ? null
    : { records: oldest ? head - oldest.seq + 1 : 0, oldest: oldest ? { seq: oldest.seq, time: oldest.time.toISOString() } : null };
  return {
    feed: { checkpoint, position: parsed, head, behind: parsed !== null && head !== null ? Math.max(0, head - parsed) : null },
    queue: counts,
    failures,
    journal,
  };
}

/**
 * Waits until every change made before the call is processed: the feed's position has reached
 * the head as it was at the call, and the queue is idle twice in a row. Resolves `true`, or
 * `false` when `timeoutMs` passes first.
 */
export async function waitCaughtUp(sources: StatusSources, options: { readonly timeoutMs?: number; readonly pollMs?: number } = {}): Promise<boolean> {
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  const pollMs = options.pollMs ?? 100;
  const target = sources.head ? await sources.head() : null;
  let idleInARow = 0;
  for (;;) {
    const status = await readStatus(sources, 0);
    const fed = target === null || (status.feed.position !== null && status.feed.position >= target);
    const idle = status.queue === null || isIdle(status.queue);
    idleInARow = fed && idle ? idleInARow + 1 : 0;
    if (idleInARow >= 2) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
