/**
 * `GET /status`: what `recalc status` prints — the feed's position against the head of the change
 * log, the queue's counts and its last errors — read inside the worker, so it is complete whatever
 * queue the worker runs (the in-process queue's counts exist only in its memory).
 * `?failures=N` (0–100, default 10) bounds the errors listed. Answers `200 {…}`, or `503 {error}`
 * when a source cannot be read.
 */
import { Router, type Request, type Response } from 'express';
import { readStatus, type StatusSources, type WorkerStatus } from '../feed/status.ts';
import { isIdle } from '../queue/idle.ts';

/** What the worker runs on, shown with its status (so a client can check it asked the right one). */
export interface WorkerIdentity {
  /** `in-process` or `bullmq`. */
  readonly queue: string;
  /** `embedded` or `mongodb`. */
  readonly store: string;
  /** The embedded store file, as an absolute path (`null` for MongoDB or `:memory:`). */
  readonly db: string | null;
  /** The MongoDB database followed (`null` for the embedded store). */
  readonly mongodbDb: string | null;
  readonly queueName: string;
}

/** The answer of `GET /status`. */
export interface StatusReport extends WorkerStatus {
  /** Every change up to the head is read and no job waits, runs or is delayed (failed jobs aside). */
  readonly idle: boolean;
  readonly worker: WorkerIdentity;
}

/** What the route needs. */
export interface StatusRouteOptions {
  /** Where the status is read from (the worker's own checkpoint, head and queue). */
  readonly sources: StatusSources;
  readonly worker: WorkerIdentity;
}

/** The most errors one answer lists. */
const MAX_FAILURES = 100;

/** True when the status shows nothing left to do: the feed at the head, the queue idle. */
export function statusIsIdle(status: WorkerStatus): boolean {
  const fed = status.feed.head === null || (status.feed.position !== null && status.feed.position >= status.feed.head);
  return fed && (status.queue === null || isIdle(status.queue));
}

/** The router with `GET /status`. */
export function statusRouter(options: StatusRouteOptions): Router {
  const router = Router();
  router.get('/status', async (request: Request, response: Response) => {
    const raw = request.query.failures;
    const limit = raw === undefined ? 10 : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(limit) || limit > MAX_FAILURES) {
      response.status(400).json({ error: `"failures" must be a whole number from 0 to ${MAX_FAILURES}` });
      return;
    }
    let status: WorkerStatus;
    try {
      // Asked for no failures, ask the queue for none (the in-process queue's `failures(0)` lists all).
      const { queue } = options.sources;
      const sources: StatusSources = limit === 0 && queue ? { ...options.sources, queue: { counts: () => queue.counts(), failures: async () => [] } } : options.sources;
      status = await readStatus(sources, limit);
    } catch (error) {
      response.status(503).json({ error: `cannot read the status: ${(error as Error).message}` });
      return;
    }
    const report: StatusReport = { ...status, idle: statusIsIdle(status), worker: options.worker };
    response.json(report);
  });
  return router;
}
