/**
 * Key-based refresh (`recalc refresh --class C --key K…`, `POST /refresh`): queue chosen objects
 * for recompute by their key, whatever changed or not — for repairs and checks.
 */
import type { RecomputeQueue } from './recompute-queue.ts';

/** The reason refreshed objects are queued with. */
export const REFRESH_REASON = 'refresh';

/** A bad refresh request (unknown class, no keys…): the caller's mistake, reported as such. */
export class RefreshRequestError extends Error {
  override readonly name = 'RefreshRequestError';
}

/**
 * Queues the objects of `className` whose ION ids are `keys` (for a composite key, the key values
 * joined by `_`, as ION builds ids). Returns how many distinct objects were queued.
 *
 * @param isKnownClass - when given, an unknown class is refused instead of queuing jobs that
 *   would fail
 * @throws RefreshRequestError
 */
export async function refreshKeys(
  queue: Pick<RecomputeQueue, 'enqueue'>,
  className: string,
  keys: readonly (string | number)[],
  isKnownClass?: (className: string) => boolean,
): Promise<number> {
  checkClass(className, isKnownClass);
  if (keys.length === 0) throw new RefreshRequestError('no key given');
  const ids = [...new Set(keys.map((key) => String(key)))];
  if (ids.some((id) => id === '')) throw new RefreshRequestError('an empty key');
  await queue.enqueue(ids.map((id) => ({ className, id })), { reason: REFRESH_REASON });
  return ids.length;
}

/** Queues a refresh of every object of a class (paged by the worker). @throws RefreshRequestError */
export async function refreshWholeClass(
  queue: Pick<RecomputeQueue, 'refreshClass'>,
  className: string,
  isKnownClass?: (className: string) => boolean,
): Promise<void> {
  checkClass(className, isKnownClass);
  await queue.refreshClass(className, REFRESH_REASON);
}

function checkClass(className: string, isKnownClass?: (className: string) => boolean): void {
  if (typeof className !== 'string' || className === '' || className.includes(':')) {
    throw new RefreshRequestError(`not a class name: ${JSON.stringify(className)}`);
  }
  if (isKnownClass && !isKnownClass(className)) throw new RefreshRequestError(`unknown class ${JSON.stringify(className)}`);
}
