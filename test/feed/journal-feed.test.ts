import { afterEach, describe, expect, it } from 'vitest';
import { createJournalFeed } from '../../src/feed/journal-feed.ts';
import type { FeedSink, ReconcileReason } from '../../src/feed/feed-sink.ts';
import { createInProcessQueue, type EnqueueOptions, type ObjectRef } from '../../src/queue/index.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/index.ts';

const stores: EmbeddedStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

function freshStore(): EmbeddedStore {
  const store = openEmbeddedStore();
  stores.push(store);
  return store;
}

/** A durable fake queue that records what it is given. */
function recordingSink(): FeedSink & { enqueued: { refs: ObjectRef[]; options?: EnqueueOptions }[]; reconciled: ReconcileReason[] } {
  const enqueued: { refs: ObjectRef[]; options?: EnqueueOptions }[] = [];
  const reconciled: ReconcileReason[] = [];
  return {
    enqueued,
    reconciled,
    queue: {
      durable: true,
      enqueue: async (refs, options) => void enqueued.push({ refs: [...refs], options }),
      idle: async () => undefined,
    },
    reconcile: async (reason) => void reconciled.push(reason),
  };
}

describe('journal feed', () => {
  it('without a checkpoint: reconciles once and starts from the head (loaded documents were never journaled)', async () => {
    const store = freshStore();
    await store.insert('office', [{ id: '1', doc: { _class: 'Office', code: '1' } }]);
    const sink = recordingSink();
    const feed = createJournalFeed({ store, sink });
    expect(await feed.step()).toBe(0);
    expect(sink.reconciled).toEqual([{ kind: 'no-checkpoint' }]);
    expect(sink.enqueued).toEqual([]);
    expect(await store.getCheckpoint('feed')).toBe('1');
    // A second feed on the same store resumes from the checkpoint, no second reconcile.
    const again = recordingSink();
    await createJournalFeed({ store, sink: again }).step();
    expect(again.reconciled).toEqual([]);
  });

  it('reconciles when records were pruned before it read them, and only then', async () => {
    const store = freshStore();
    await store.setCheckpoint('feed', '0');
    const offices = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ id: `${from + i}`, doc: { _class: 'Office', code: `${from + i}` } }));
    await store.insert('office', offices(1, 5)); // sequences 1..5
    const sink = recordingSink();
    const feed = createJournalFeed({ store, sink });
    // Records 1..3 deleted unread (a prune that ignored this reader): 4 is not the next number.
    await store.pruneChanges(3);
    expect(await feed.step()).toBe(0);
    expect(sink.reconciled).toEqual([{ kind: 'history-lost' }]);
    expect(sink.enqueued).toEqual([]);
    expect(feed.position()).toBe(5);
    expect(await store.getCheckpoint('feed')).toBe('5');
    // From the head on, changes flow as usual, with no second reconcile.
    await store.insert('office', offices(6, 7));
    expect(await feed.step()).toBe(2);
    expect(sink.enqueued.flatMap((e) => e.refs.map((r) => r.id))).toEqual(['6', '7']);
    // The whole journal pruned past the feed: nothing to read, yet the head is ahead.
    await store.insert('office', offices(8, 9));
    await store.pruneChanges(9);
    expect(await feed.step()).toBe(0);
    expect(sink.reconciled).toHaveLength(2);
    expect(feed.position()).toBe(9);
    // A quiet journal, or one pruned only behind the feed, is no gap.
    expect(await feed.step()).toBe(0);
    await store.insert('office', offices(10, 10));
    await store.pruneChanges(9);
    expect(await feed.step()).toBe(1);
    expect(sink.reconciled).toHaveLength(2);
  });

  it('queues changed objects, drops computed writes, checkpoints after queueing', async () => {
    const store = freshStore();
    await store.setCheckpoint('feed', '0');
    await store.insert('office', [{ id: '1', doc: { _class: 'Office', code: '1', name: 'A' } }]);
    await store.update('office', [{ id: '1', match: { code: '1' }, set: { name: 'B' } }]);
    await store.bulkSet('office', [{ match: { code: '1' }, set: { letterCount: 3 }, id: '1' }]);
    await store.insert('letter', [{ id: '1_7', doc: { _class: 'Letter', office: '1', num: 7 } }]);
    const sink = recordingSink();
    const feed = createJournalFeed({ store, sink });
    // The checkpoint must not move before the enqueue has resolved.
    let checkpointAtEnqueue: string | null = 'unset';
    const enqueue = sink.queue.enqueue;
    (sink.queue as { enqueue: typeof enqueue }).enqueue = async (refs, options) => {
      checkpointAtEnqueue = await store.getCheckpoint('feed');
      return enqueue(refs, options);
    };
    expect(await feed.step()).toBe(4);
    expect(checkpointAtEnqueue).toBe('0');
    expect(sink.enqueued).toHaveLength(1);
    expect(sink.enqueued[0]?.refs).toEqual([
      { className: 'Office', id: '1' },
      { className: 'Office', id: '1' },
      { className: 'Letter', id: '1_7' },
    ]);
    expect(sink.enqueued[0]?.options?.reason).toBe('change');
    expect(await store.getCheckpoint('feed')).toBe('4');
    expect(feed.position()).toBe(4);
    expect(await feed.step()).toBe(0);
  });

  it('passes old values to the router and drops application updates of computed fields only', async () => {
    const store = freshStore();
    await store.setCheckpoint('feed', '0');
    await store.insert('letter', [{ id: '1_7', doc: { _class: 'Letter', office: '1', num: 7, officeName: 'x' } }]);
    await store.update('letter', [{ id: '1_7', match: { num: 7 }, set: { office: '2' } }]);
    await store.update('letter', [{ id: '1_7', match: { num: 7 }, set: { officeName: 'y' } }]);
    const seen: unknown[] = [];
    const sink = recordingSink();
    const feed = createJournalFeed({
      store,
      sink: { ...sink, route: async (changes) => (seen.push(...changes), []) },
      computed: new Set(['officeName']),
    });
    await feed.step();
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ op: 'update', className: 'Letter', id: '1_7', changedFields: ['office'], oldValues: { office: '1' } });
    expect(sink.enqueued).toEqual([]);
  });

  it('with the in-process queue, checkpoints only once the jobs are processed', async () => {
    const store = freshStore();
    await store.setCheckpoint('feed', '0');
    await store.insert('office', [{ id: '1', doc: { _class: 'Office', code: '1' } }]);
    const queue = createInProcessQueue({ batchSize: 10 });
    const processed: string[] = [];
    let checkpointWhenProcessed: string | null = 'unset';
    await queue.start({
      recompute: async (refs) => {
        await new Promise((r) => setTimeout(r, 30));
        checkpointWhenProcessed = await store.getCheckpoint('feed');
        processed.push(...refs.map((r) => r.id));
        return [];
      },
    });
    const feed = createJournalFeed({ store, sink: { queue, reconcile: async () => undefined } });
    await feed.step();
    expect(processed).toEqual(['1']);
    expect(checkpointWhenProcessed).toBe('0');
    expect(await store.getCheckpoint('feed')).toBe('1');
    await queue.close();
  });

  it('run follows new changes until stopped', async () => {
    const store = freshStore();
    await store.setCheckpoint('feed', '0');
    const sink = recordingSink();
    const feed = createJournalFeed({ store, sink, pollMs: 5 });
    const running = feed.run();
    await store.insert('office', [{ id: '9', doc: { _class: 'Office', code: '9' } }]);
    const deadline = Date.now() + 5000;
    while (sink.enqueued.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await feed.stop();
    await running;
    expect(sink.enqueued[0]?.refs).toEqual([{ className: 'Office', id: '9' }]);
    expect(await store.getCheckpoint('feed')).toBe('1');
  });
});

describe('journal feed under a leader lock', () => {
  it('stops when its signal aborts and runs again later, resuming from its checkpoint', async () => {
    const store = freshStore();
    await store.setCheckpoint('feed', '0');
    const sink = recordingSink();
    const feed = createJournalFeed({ store, sink, pollMs: 5 });
    const waitFor = async (check: () => boolean) => {
      const deadline = Date.now() + 5000;
      while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    };
    const first = new AbortController();
    const running = feed.run(first.signal);
    await store.insert('office', [{ id: '1', doc: { _class: 'Office', code: '1' } }]);
    await waitFor(() => sink.enqueued.length === 1);
    first.abort();
    await running;
    await store.insert('office', [{ id: '2', doc: { _class: 'Office', code: '2' } }]);
    await new Promise((r) => setTimeout(r, 30));
    expect(sink.enqueued).toHaveLength(1); // stopped: nothing read
    const second = new AbortController();
    const again = feed.run(second.signal);
    await waitFor(() => sink.enqueued.length === 2);
    second.abort();
    await again;
    expect(sink.enqueued.map((e) => e.refs[0]?.id)).toEqual(['1', '2']);
    expect(await store.getCheckpoint('feed')).toBe('2');
  });
});
