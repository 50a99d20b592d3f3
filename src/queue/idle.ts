/** Waiting for a queue to have nothing left to do, by polling its counts. */
import type { QueueCounts } from './recompute-queue.ts';

/** Thrown by {@link waitIdle} when the timeout passes first. */
export class IdleTimeoutError extends Error {
  override readonly name = 'IdleTimeoutError';
}

/** True when no job waits, runs or is delayed. */
export function isIdle(counts: QueueCounts): boolean {
  return counts.waiting + counts.active + counts.delayed === 0;
}

/**
 * Polls `counts` until the queue is idle twice in a row (a batch between two polls could queue a
 * cascade right after the first idle answer).
 */
export async function waitIdle(counts: () => Promise<QueueCounts>, pollMs = 50, timeoutMs = Infinity): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let idleInARow = 0;
  for (;;) {
    idleInARow = isIdle(await counts()) ? idleInARow + 1 : 0;
    if (idleInARow >= 2) return;
    if (Date.now() >= deadline) throw new IdleTimeoutError(`the queue is not idle after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
