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
