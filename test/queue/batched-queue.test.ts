import { afterEach, describe, expect, it } from 'vitest';
import { createBatchedBullmqQueue, type BatchedBullmqQueue } from '../../src/queue/index.ts';
import { queueContract } from './contract.ts';
import { REDIS_URL, deleteUnder, keysUnder, randomPrefix } from './redis-helpers.ts';

const made: { prefix: string; queue: BatchedBullmqQueue }[] = [];

afterEach(async () => {
  for (const { prefix, queue } of made.splice(0)) {
    await queue.close();
    const cleaner = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: queue.queue.name });
    await cleaner.obliterate();
    await cleaner.close();
    const left = await keysUnder(prefix);
    await deleteUnder(prefix);
    expect(left).toEqual([]);
  }
});

function make(settings: { batchSize?: number; attempts?: number; backoffMs?: number; lockDurationMs?: number; sweepIntervalMs?: number } = {}): BatchedBullmqQueue {
  const prefix = randomPrefix('test-batched');
  const queue = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: `recalc-${Math.random().toString(36).slice(2, 8)}`, concurrency: 2, ...settings });
  made.push({ prefix, queue });
  return queue;
}

queueContract('bullmq-batched', async (settings) => make(settings));

describe('batched bullmq queue', () => {
  it('reclaims the objects of a stuck carrier once its lock is gone', async () => {
    const first = make({ lockDurationMs: 300, sweepIntervalMs: 100 });
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    await first.enqueue([{ className: 'A', id: '1' }, { className: 'A', id: '2' }]);
    const seen: string[] = [];
    let calls = 0;
    await first.start({
      recompute: async (refs) => {
        calls += 1;
        if (calls === 1) {
          started();
          await stuck; // the first batch hangs until the end of the test, as a frozen worker would
          return [];
        }
        seen.push(...refs.map((r) => r.id));
        return [];
      },
    });
    await running;
    expect((await first.counts()).active).toBeGreaterThanOrEqual(2);
    // The lock disappears as if it had expired.
    const { prefix } = made[0]!;
    const { Redis } = await import('ioredis');
    const redis = new Redis(REDIS_URL);
    const locks = await redis.keys(`${prefix}:*-carriers:*:lock`);
    expect(locks.length).toBeGreaterThan(0);
    await redis.del(...locks);
    await redis.quit();
    const second = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: first.queue.name, sweepIntervalMs: 100 });
    await second.start({ recompute: async (refs) => (seen.push(...refs.map((r) => r.id)), []) });
    const deadline = Date.now() + 10_000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // The stuck carrier wakes up late: its outcome is ignored (the objects are no longer its).
    release();
    expect(seen.sort()).toEqual(['1', '2']);
    await second.idle({ timeoutMs: 5000, pollMs: 20 });
    expect((await second.counts()).completed).toBe(2);
    await second.close();
  });
});
