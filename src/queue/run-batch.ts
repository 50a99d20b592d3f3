/**
 * Runs the processor on a batch and decides each object's outcome. Shared by both queues so they
 * fail, isolate and cascade the same way.
 */
import { refKey, type ObjectRef } from './object-ref.ts';
import type { BatchResult, RecomputeProcessor } from './processor.ts';
import { toError, type ErrorClassifier } from './classify-error.ts';
import { notify, type QueueObserver } from './observer.ts';

/** One object of a batch, as the queue holds it. */
export interface BatchItem {
  readonly ref: ObjectRef;
  /** 1 for the first run. */
  readonly attempt: number;
  readonly reason: string;
  /** When the change that queued it happened (epoch ms). */
  readonly changedAt: number;
}

/** The outcome of one object. */
export type ItemOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: Error; readonly permanent: boolean };

/** What {@link runBatch} needs. */
export interface RunBatchDeps {
  readonly processor: RecomputeProcessor;
  readonly classify: ErrorClassifier;
  /** Queues the cascade; it runs before the outcomes are returned (and so before jobs complete). */
  readonly cascade: (refs: readonly ObjectRef[], changedAt: number) => Promise<void>;
  readonly observer?: QueueObserver;
}

/**
 * Runs the batch once. Objects the processor reports failed (a {@link BatchResult}) fail with
 * their own errors. If the processor throws and the batch holds more than one object, every
 * object is run alone (in parallel) so that one bad object fails by itself and the others go
 * through — a failing object must never hold the rest back, whether its error is permanent or
 * not. The outcomes are in the order of `items`.
 */
export async function runBatch(deps: RunBatchDeps, items: readonly BatchItem[]): Promise<ItemOutcome[]> {
  const first = await attempt(deps, items);
  if (first.ok) return items.map((item) => outcomeOf(deps, first.failed, item));
  if (items.length === 1) return [failure(deps, first.error)];
  return Promise.all(
    items.map(async (item) => {
      const alone = await attempt(deps, [item]);
      return alone.ok ? outcomeOf(deps, alone.failed, item) : failure(deps, alone.error);
    }),
  );
}

/** A run that returned (possibly with some objects failed), or threw. */
type Attempt = { ok: true; failed: ReadonlyMap<string, Error> } | { ok: false; error: Error };

const NONE: ReadonlyMap<string, Error> = new Map();

async function attempt(deps: RunBatchDeps, items: readonly BatchItem[]): Promise<Attempt> {
  const refs = items.map((item) => item.ref);
  const started = performance.now();
  const context = {
    attempt: Math.max(...items.map((item) => item.attempt)),
    reasons: [...new Set(items.map((item) => item.reason))],
  };
  let cascade: readonly ObjectRef[];
  let failed = NONE;
  try {
    const answer = await deps.processor(refs, context);
    if (isBatchResult(answer)) {
      cascade = answer.cascade;
      if (answer.failed && answer.failed.length > 0) failed = new Map(answer.failed.map((f) => [refKey(f.ref), toError(f.error)]));
    } else {
      cascade = answer;
    }
  } catch (thrown) {
    const error = toError(thrown);
    notify(deps.observer, 'batch', { refs, durationMs: performance.now() - started, cascade: 0, error });
    return { ok: false, error };
  }
  const durationMs = performance.now() - started;
  try {
    // The cascade is queued before the jobs complete: a crash in between re-runs the batch
    // (harmless, a recompute is idempotent) instead of losing the dependants.
    if (cascade.length > 0) await deps.cascade(cascade, Math.min(...items.map((item) => item.changedAt)));
  } catch (thrown) {
    const error = toError(thrown);
    notify(deps.observer, 'batch', { refs, durationMs, cascade: cascade.length, error });
    return { ok: false, error };
  }
  notify(deps.observer, 'batch', {
    refs,
    durationMs,
    cascade: cascade.length,
    queuedAt: items.filter((item) => !failed.has(refKey(item.ref))).map((item) => item.changedAt),
  });
  return { ok: true, failed };
}

function isBatchResult(answer: readonly ObjectRef[] | BatchResult): answer is BatchResult {
  return !Array.isArray(answer);
}

function outcomeOf(deps: RunBatchDeps, failed: ReadonlyMap<string, Error>, item: BatchItem): ItemOutcome {
  const error = failed.get(refKey(item.ref));
  return error ? failure(deps, error) : { ok: true };
}

function failure(deps: RunBatchDeps, error: Error): ItemOutcome {
  return { ok: false, error, permanent: deps.classify(error) === 'permanent' };
}
