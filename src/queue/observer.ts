/**
 * Typed notifications from a queue, for metrics and logs. Every member is optional; an observer
 * must not throw (a throwing observer is caught and ignored so it never fails a job).
 */
import type { ObjectRef } from './object-ref.ts';

/** What happened in one processor call. */
export interface BatchReport {
  /** The objects of the batch. */
  readonly refs: readonly ObjectRef[];
  /** How long the processor ran, in milliseconds. */
  readonly durationMs: number;
  /** How many refs the processor returned to cascade to. */
  readonly cascade: number;
  /** The error when the processor threw. */
  readonly error?: Error;
  /** When each object was first queued for this run (epoch ms), where known: change → written lag. */
  readonly queuedAt?: readonly number[];
}

/** One object failed; `final` when it will not be retried (kept failed with its error). */
export interface FailureReport {
  readonly ref: ObjectRef;
  readonly error: Error;
  readonly attempt: number;
  readonly final: boolean;
}

/** Receives queue notifications. */
export interface QueueObserver {
  /** Refs were handed to the queue (before deduplication). */
  enqueued?(count: number, reason: string): void;
  /** A processor call ended. */
  batch?(report: BatchReport): void;
  /** An object failed. */
  failed?(report: FailureReport): void;
}

/** Calls an observer member, swallowing its errors. */
export function notify<K extends keyof QueueObserver>(
  observer: QueueObserver | undefined,
  event: K,
  ...args: Parameters<NonNullable<QueueObserver[K]>>
): void {
  const fn = observer?.[event] as ((...a: unknown[]) => void) | undefined;
  if (!fn) return;
  try {
    fn.apply(observer, args);
  } catch {
    // An observer is for metrics and logs: its failure must never fail a job.
  }
}
