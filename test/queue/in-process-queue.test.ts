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
