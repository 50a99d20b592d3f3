/**
 * `POST /refresh` with `{"class": "Office", "keys": ["101000", "102000"]}` queues those objects;
 * without `keys` it queues a refresh of the whole class. Answers `202 {queued}`, or `400 {error}`.
 */
import { Router, type Request, type Response } from 'express';
import type { RecomputeQueue } from '../queue/recompute-queue.ts';
import { RefreshRequestError, refreshKeys, refreshWholeClass } from '../queue/refresh-keys.ts';

/** What the route needs. */
export interface RefreshRouteOptions {
  readonly queue: Pick<RecomputeQueue, 'enqueue' | 'refreshClass'>;
  /** Refuses unknown classes when given. */
  readonly isKnownClass?: (className: string) => boolean;
}

/** The router with `POST /refresh`. */
export function refreshRouter(options: RefreshRouteOptions): Router {
  const router = Router();
  router.post('/refresh', async (request: Request, response: Response) => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      response.status(400).json({ error: 'expected a JSON object {"class": "...", "keys": [...]}' });
      return;
    }
    const { class: className, keys, ...rest } = body as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) {
      response.status(400).json({ error: `unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}` });
      return;
    }
    if (typeof className !== 'string') {
      response.status(400).json({ error: '"class" must be a class name' });
      return;
    }
    if (keys !== undefined && (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string' || typeof key === 'number'))) {
      response.status(400).json({ error: '"keys" must be an array of keys (strings or numbers)' });
      return;
    }
    try {
      if (keys === undefined) {
        await refreshWholeClass(options.queue, className, options.isKnownClass);
        response.status(202).json({ class: className, queued: 'all' });
      } else {
        const queued = await refreshKeys(options.queue, className, keys as (string | number)[], options.isKnownClass);
        response.status(202).json({ class: className, queued });
      }
    } catch (error) {
      if (error instanceof RefreshRequestError) response.status(400).json({ error: error.message });
      else throw error;
    }
  });
  return router;
}
