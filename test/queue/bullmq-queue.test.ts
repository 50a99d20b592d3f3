import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createBullmqQueue, type BullmqRecomputeQueue } from '../../src/queue/index.ts';
import { queueContract } from './contract.ts';
import { REDIS_URL, deleteUnder, keysUnder, randomPrefix } from './redis-helpers.ts';

/** Queues made by the tests, removed from Redis after each test. */
const made: { prefix: string; name: string }[] = [];

async function obliterate(prefix: string, name: string): Promise<void> {
  const queue = new Queue(name, { connection: { url: REDIS_URL }, prefix });
  try {
    await queue.obliterate({ force: true });
  } finally {
    await queue.close();
  }
}

afterEach(async () => {
  for (const { prefix, name } of made.splice(0)) {
    await obliterate(prefix, name);
    const left = await keysUnder(prefix);
    await deleteUnder(prefix);
    // obliterate must clean the queue entirely (deduplication keys included).
    expect(left).toEqual([]);
  }
});

function make(settings: { batchSize?: number; attempts?: number; backoffMs?: number } = {}): BullmqRecomputeQueue {
  const prefix = randomPrefix('test-queue');
  const name = `recalc-${Math.random().toString(36).slice(2, 8)}`;
  made.push({ prefix, name });
  return createBullmqQueue({ redisUrl: REDIS_URL, prefix, name, batchWaitMs: 5, concurrency: 2, ...settings });
}

queueContract('bullmq', async (settings) => make(settings));

describe('bullmq queue', () => {
  it('is durable: jobs queued by one instance are processed by another', async () => {
    const producer = make();
    await producer.enqueue([{ className: 'A', id: '1' }, { className: 'A', id: '2' }]);
    const settings = made.at(-1)!;
    const consumer = createBullmqQueue({ redisUrl: REDIS_URL, prefix: settings.prefix, name: settings.name });
    const seen: string[] = [];
    await consumer.start({ recompute: async (refs) => (seen.push(...refs.map((r) => r.id)), []) });
    await consumer.idle({ timeoutMs: 10_000, pollMs: 20 });
    expect(seen.sort()).toEqual(['1', '2']);
    await consumer.close();
    await producer.close();
  });

  it('marks a permanent failure unrecoverable (one attempt recorded)', async () => {
    const queue = make({ attempts: 5 });
    await queue.enqueue([{ className: 'A', id: 'bad' }]);
    await queue.start({
      recompute: async () => {
        const error = new Error('bad meta');
        error.name = 'MetaError';
        throw error;
      },
    });
    await queue.idle({ timeoutMs: 10_000, pollMs: 20 });
    const [failed] = await queue.queue.getFailed();
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toBe('MetaError: bad meta');
    await queue.close();
  });

  it('turns cron schedules into BullMQ job schedulers, replacing the old set', async () => {
    const queue = make();
    await queue.setSchedules([
      { name: 'nightly', cron: '0 3 * * *', classes: ['A', 'B'] },
      { name: 'hourly', cron: '0 * * * *', classes: ['C'] },
    ]);
    let ids = (await queue.queue.getJobSchedulers()).map((s) => s.key).sort();
    expect(ids).toEqual(['schedule:hourly:C', 'schedule:nightly:A', 'schedule:nightly:B']);
    const [nightlyA] = (await queue.queue.getJobSchedulers()).filter((s) => s.key === 'schedule:nightly:A');
    expect(nightlyA?.pattern).toBe('0 3 * * *');
    // The next run is queued as a delayed refresh job.
    expect((await queue.counts()).delayed).toBe(3);
    await queue.setSchedules([{ name: 'nightly', cron: '30 2 * * *', classes: ['A'] }]);
    ids = (await queue.queue.getJobSchedulers()).map((s) => s.key);
    expect(ids).toEqual(['schedule:nightly:A']);
    expect((await queue.queue.getJobSchedulers())[0]?.pattern).toBe('30 2 * * *');
    await queue.close();
  });

  it('runs the scheduled refresh jobs through the class pager', async () => {
    const queue = make();
    const seen: string[] = [];
    await queue.start({
      recompute: async (refs) => (seen.push(...refs.map((r) => `${r.className}:${r.id}`)), []),
      pageClass: async (_className, after) => (after === null ? { ids: ['1'], next: 'p2' } : { ids: ['2'], next: null }),
    });
    await queue.setSchedules([{ name: 'every-second', cron: '* * * * * *', classes: ['A'] }]);
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await queue.setSchedules([]);
    expect(await queue.queue.getJobSchedulers()).toEqual([]);
    await queue.close();
    expect(new Set(seen)).toEqual(new Set(['A:1', 'A:2']));
  });
});
