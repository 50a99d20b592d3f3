/**
 * What the queue runs: an injected function of a batch of objects. The queue layer never sees
 * formulas or stores; the recompute engine is plugged in here by the composition root.
 */
import type { ObjectRef } from './object-ref.ts';

/** What a processor may know about the batch it runs. */
export interface BatchContext {
  /** Which attempt this is for the batch's jobs (1 = first run); the highest among the batch. */
  readonly attempt: number;
  /** Why the objects were queued (`change`, `cascade`, `refresh`, `schedule`…), distinct values. */
  readonly reasons: readonly string[];
}

/** One object of a batch that failed, reported by the processor itself. */
export interface ObjectFailure {
  readonly ref: ObjectRef;
  readonly error: Error;
}

/**
 * A batch that went through in part: the objects in `failed` fail with their own errors, every
 * other object of the batch succeeded, and `cascade` holds the dependants of what was written.
 */
export interface BatchResult {
  readonly cascade: readonly ObjectRef[];
  readonly failed?: readonly ObjectFailure[];
}

/**
 * Recomputes a batch of objects and returns the objects to recompute next (the dependants whose
 * inputs changed) — as a plain array, or as a {@link BatchResult} when some objects failed. The
 * queue enqueues the cascade in bulk before it marks the batch done, so a crash never loses a
 * cascade (at-least-once: a batch may run again, so it must be idempotent, which a recompute is).
 *
 * Throwing fails the whole batch; the queue then runs each object alone to find the one at fault.
 * A processor that may have written part of the batch before an object failed must return a
 * {@link BatchResult} instead of throwing: the re-runs would find nothing left to change and the
 * written part's cascade would be lost.
 */
export type RecomputeProcessor = (refs: readonly ObjectRef[], context: BatchContext) => Promise<readonly ObjectRef[] | BatchResult>;

/** One page of a class's object ids, for the "refresh a whole class" jobs. */
export interface ClassPage {
  /** The ids of this page. */
  readonly ids: readonly string[];
  /** The cursor of the next page, `null` after the last page. */
  readonly next: string | null;
}

/**
 * Pages through the objects of a class (injected: the store knows how). `after` is `null` for the
 * first page, then the previous page's `next`.
 */
export type ClassPager = (className: string, after: string | null, limit: number) => Promise<ClassPage>;

/** The functions a worker runs: the recompute and, for refresh jobs, the class pager. */
export interface QueueHandlers {
  /** Recomputes a batch of objects. */
  readonly recompute: RecomputeProcessor;
  /** Pages through a class; required only when "refresh class" jobs are queued. */
  readonly pageClass?: ClassPager;
}
