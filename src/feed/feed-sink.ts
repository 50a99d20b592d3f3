/**
 * Where feed events go: routed to the objects to recompute, queued, and — for a dropped
 * collection — turned into a reconcile. Shared by the MongoDB and the embedded feed.
 */
import type { Logger } from 'pino';
import type { ObjectRef } from '../queue/object-ref.ts';
import type { RecomputeQueue } from '../queue/recompute-queue.ts';
import type { FeedEvent, ObjectChange } from './feed-event.ts';

/**
 * From application changes to the objects to recompute. The default queues each changed object
 * itself; the composition root injects the recompute engine's router, which adds the dependants
 * of the changed fields (including, through the old link values, the objects a changed link
 * used to point at).
 */
export type ChangeRouter = (changes: readonly ObjectChange[]) => Promise<readonly ObjectRef[]>;

/** Why a feed asks for a rebuild. */
export type ReconcileReason =
  | { readonly kind: 'no-checkpoint' }
  | { readonly kind: 'history-lost' }
  | { readonly kind: 'invalidate' }
  | { readonly kind: 'drop'; readonly collection: string };

/** Rebuilds what the feed may have missed (typically: queue a refresh of every watched class). */
export type Reconcile = (reason: ReconcileReason) => Promise<void>;

/** Feed notifications for metrics. */
export interface FeedObserver {
  /** Application changes seen (after our own writes were dropped). */
  changes?(count: number, source: 'mongodb' | 'journal'): void;
  /** Events dropped as our own writes. */
  ownWrites?(count: number): void;
  /** The feed's position after a checkpoint: the journal sequence, or the change's time in seconds. */
  position?(value: number): void;
}

/** The feed's outlet. */
export interface FeedSink {
  readonly queue: Pick<RecomputeQueue, 'enqueue' | 'durable' | 'idle'>;
  readonly reconcile: Reconcile;
  readonly route?: ChangeRouter;
  readonly observer?: FeedObserver;
  readonly logger?: Logger;
}

/** The default router: each identified changed object. */
export const routeChangedObjects: ChangeRouter = async (changes) =>
  changes.flatMap((change) => (change.className !== null && change.id !== null ? [{ className: change.className, id: change.id }] : []));

/**
 * Routes and queues the events. When it resolves, the jobs for every event are queued durably —
 * for the in-process queue, which is not durable, processed — so the caller may checkpoint.
 */
export async function deliver(sink: FeedSink, events: readonly FeedEvent[], source: 'mongodb' | 'journal'): Promise<void> {
  const changes = events.filter((event): event is ObjectChange => event.kind === 'change');
  if (changes.length > 0) {
    sink.observer?.changes?.(changes.length, source);
    const refs = await (sink.route ?? routeChangedObjects)(changes);
    if (refs.length > 0) {
      const changedAt = changes.reduce((earliest, change) => Math.min(earliest, change.time), Infinity);
      await sink.queue.enqueue(refs, { reason: 'change', changedAt });
    }
  }
  for (const event of events) {
    if (event.kind === 'drop') {
      sink.logger?.warn({ collection: event.collection }, 'a watched collection was dropped: reconciling');
      await sink.reconcile({ kind: 'drop', collection: event.collection });
    }
  }
  if (!sink.queue.durable) await sink.queue.idle();
}
