import { describe, expect, it } from 'vitest';
import { createInProcessQueue } from '../../src/queue/index.ts';
import { queueContract } from './contract.ts';

queueContract('in-process', async (settings) => createInProcessQueue(settings));

describe('in-process queue', () => {
  it('is not durable, so a feed waits for idle before checkpointing', () => {
    expect(createInProcessQueue().durable).toBe(false);
  });

  it('refuses work after close', async () => {
    const queue = createInProcessQueue();
    await queue.close();
    await expect(queue.enqueue([{ className: 'A', id: '1' }])).rejects.toThrow(/closed/);
  });
});

describe('createRecomputeQueue', () => {
  it('picks BullMQ with a Redis URL and the in-process queue without', async () => {
    const { createRecomputeQueue } = await import('../../src/queue/index.ts');
    const local = createRecomputeQueue({ redisUrl: null, batchSize: 5 });
    expect(local.kind).toBe('in-process');
    await local.close();
    const remote = createRecomputeQueue({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queueName: `unused-${Date.now()}` });
    expect(remote.kind).toBe('bullmq');
    expect(remote.durable).toBe(true);
    await remote.close();
  });
});

describe('in-process schedules', () => {
  it('refreshes the scheduled classes at each cron occurrence', async () => {
    const queue = createInProcessQueue();
    const seen: string[] = [];
    await queue.start({
      recompute: async (refs) => (seen.push(...refs.map((r) => `${r.className}:${r.id}`)), []),
      pageClass: async (className) => ({ ids: ['1', '2'], next: null }),
    });
    await queue.setSchedules([{ name: 'every-second', cron: '* * * * * *', classes: ['A', 'B'] }]);
    const deadline = Date.now() + 3000;
    while (seen.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await queue.close();
    expect(new Set(seen)).toEqual(new Set(['A:1', 'A:2', 'B:1', 'B:2']));
  });
});

describe('createRecomputeQueue with queueJobs', () => {
  it('picks the batched BullMQ layout when asked', async () => {
    const { createRecomputeQueue, BatchedBullmqQueue } = await import('../../src/queue/index.ts');
    const queue = createRecomputeQueue({ redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queueName: `unused-${Date.now()}`, queueJobs: 'batched' });
    expect(queue).toBeInstanceOf(BatchedBullmqQueue);
    await queue.close();
  });
});
