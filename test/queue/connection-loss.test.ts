/**
 * Lost Redis connections: the queue's connections (and only them — the server is shared) are
 * killed while jobs run; ioredis reconnects, BullMQ resumes, every object is processed.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createBatchedBullmqQueue, createBullmqQueue, type RecomputeQueue } from '../../src/queue/index.ts';
import { REDIS_URL, deleteUnder, keysUnder, randomPrefix } from './redis-helpers.ts';

const prefix = randomPrefix('test-connloss');
const name = 'recalc-connloss';
const admin = new Redis(REDIS_URL);

afterAll(async () => {
  const cleaner = new Queue(name, { connection: { url: REDIS_URL }, prefix });
  await cleaner.obliterate({ force: true });
  await cleaner.close();
  const batched = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: `${name}-batched` });
  await batched.obliterate();
  await batched.close();
  await deleteUnder(prefix);
  expect(await keysUnder(prefix)).toEqual([]);
  await admin.quit();
});

/** Kills the connections whose client name starts with the queue's prefix; returns how many. */
async function killQueueConnections(): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  const ids = list
    .split('\n')
    .filter((line) => line.match(/ name=(\S*)/)?.[1]?.startsWith(`${prefix}:`))
    .map((line) => line.match(/^id=(\d+)/)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await admin.client('KILL', 'ID', id);
  return ids.length;
}

it.each([
  ['per-object', () => createBullmqQueue({ redisUrl: REDIS_URL, prefix, name, batchSize: 20, backoffMs: 50, attempts: 10, lockDurationMs: 1000, stalledIntervalMs: 500 })],
  ['batched', () => createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: `${name}-batched`, batchSize: 20, backoffMs: 50, attempts: 10, lockDurationMs: 1000, stalledIntervalMs: 500, sweepIntervalMs: 500 })],
] as [string, () => RecomputeQueue][])('%s: reconnects after its connections are killed and processes every object', async (_kind, create) => {
  const queue = create();
  const seen = new Set<string>();
  await queue.start({
    recompute: async (refs) => {
      await new Promise((r) => setTimeout(r, 5));
      for (const ref of refs) seen.add(ref.id);
      return [];
    },
  });
  let killed = 0;
  for (let round = 0; round < 5; round += 1) {
    await queue.enqueue(Array.from({ length: 100 }, (_, i) => ({ className: 'A', id: `${round}-${i}` })));
    killed += await killQueueConnections();
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(killed).toBeGreaterThan(0);
  // A completion lost with its connection leaves the job active until its lock expires and the
  // stalled check takes it back: hence the short lock in this test.
  await queue.idle({ timeoutMs: 20_000, pollMs: 50 }).catch(async (error: unknown) => {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(await queue.counts())}`);
  });
  expect(seen.size).toBe(500);
  expect((await queue.counts()).failed).toBe(0);
  await queue.close();
}, 60_000);
