import { describe, expect, it } from 'vitest';
import { createJournalFeed, readStatus, storeCheckpoint, waitCaughtUp } from '../../src/feed/index.ts';
import { createInProcessQueue } from '../../src/queue/index.ts';
import { openEmbeddedStore } from '../../src/store/index.ts';

describe('status', () => {
  it('shows the feed behind the head, the counts and the failures; waits until caught up', async () => {
    const store = openEmbeddedStore();
    await store.setCheckpoint('feed', '0');
    await store.insert('office', [1, 2, 3].map((n) => ({ id: `o${n}`, doc: { _class: 'Office', code: `o${n}` } })));
    const queue = createInProcessQueue({ attempts: 1 });
    const sources = { checkpoint: storeCheckpoint(store, 'feed'), head: () => store.headSequence(), oldest: () => store.oldestChange(), queue };
    expect(await readStatus(sources)).toEqual({
      feed: { checkpoint: '0', position: 0, head: 3, behind: 3 },
      queue: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 },
      failures: [],
      journal: { records: 3, oldest: { seq: 1, time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } },
    });
    // Nothing follows the journal yet: not caught up.
    expect(await waitCaughtUp(sources, { timeoutMs: 100, pollMs: 10 })).toBe(false);

    await queue.start({
      recompute: async (refs) => {
        if (refs.some((r) => r.id === 'o2')) throw new Error('boom');
        return [];
      },
    });
    const feed = createJournalFeed({ store, sink: { queue, reconcile: async () => undefined }, pollMs: 5 });
    const running = feed.run();
    expect(await waitCaughtUp(sources, { timeoutMs: 5000, pollMs: 10 })).toBe(true);
    const status = await readStatus(sources);
    expect(status.feed).toEqual({ checkpoint: '3', position: 3, head: 3, behind: 0 });
    expect(status.queue).toMatchObject({ completed: 2, failed: 1 });
    expect(status.failures.map((f) => [f.ref?.id, f.error])).toEqual([['o2', 'Error: boom']]);
    // Pruned up to the feed: the journal keeps nothing, the head stays.
    await store.pruneChanges(3);
    expect((await readStatus(sources)).journal).toEqual({ records: 0, oldest: null });
    await feed.stop();
    await running;
    await queue.close();
    await store.close();
  });

  it('without a head (MongoDB) or a queue, reports what it can', async () => {
    let saved: string | null = '{"_data":"82AB"}';
    const checkpoint = { load: async () => saved, save: async (v: string) => void (saved = v), clear: async () => void (saved = null) };
    expect(await readStatus({ checkpoint })).toEqual({
      feed: { checkpoint: '{"_data":"82AB"}', position: null, head: null, behind: null },
      queue: null,
      failures: [],
      journal: null,
    });
    expect(await waitCaughtUp({ checkpoint }, { timeoutMs: 100, pollMs: 5 })).toBe(true);
  });
});
