/**
 * The pieces wired the way worker.ts will wire them, with a fake recompute: embedded store →
 * journal feed → queue (BullMQ on the real Redis, and in-process) → processor writing a computed
 * field → cascade. Checks that every change is processed after it happened, our own writes do not
 * loop, and the checkpoint reaches the head.
 */
import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { createJournalFeed } from '../../src/feed/index.ts';
import { createBatchedBullmqQueue, createBullmqQueue, createInProcessQueue, type ObjectRef, type RecomputeQueue } from '../../src/queue/index.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/index.ts';
import { REDIS_URL, deleteUnder, keysUnder, randomPrefix } from '../queue/redis-helpers.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function bullmq(): RecomputeQueue {
  const prefix = randomPrefix('test-pipeline');
  const name = 'recalc-pipeline';
  const queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix, name, batchSize: 50 });
  cleanups.push(async () => {
    await queue.close();
    const cleaner = new Queue(name, { connection: { url: REDIS_URL }, prefix });
    await cleaner.obliterate({ force: true });
    await cleaner.close();
    await deleteUnder(prefix);
    expect(await keysUnder(prefix)).toEqual([]);
  });
  return queue;
}

function batched(): RecomputeQueue {
  const prefix = randomPrefix('test-pipeline-batched');
  const queue = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: 'recalc-pipeline', batchSize: 50 });
  cleanups.push(async () => {
    await queue.close();
    const cleaner = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name: 'recalc-pipeline' });
    await cleaner.obliterate();
    await cleaner.close();
    await deleteUnder(prefix);
    expect(await keysUnder(prefix)).toEqual([]);
  });
  return queue;
}

function inProcess(): RecomputeQueue {
  const queue = createInProcessQueue({ batchSize: 50 });
  cleanups.push(() => queue.close());
  return queue;
}

/** Letters point at offices; an office's computed `letterTotal` sums its letters' `weight`. */
async function pipeline(queue: RecomputeQueue): Promise<void> {
  const store: EmbeddedStore = openEmbeddedStore();
  cleanups.push(() => store.close());
  await store.insert('office', Array.from({ length: 5 }, (_, i) => ({ id: `o${i}`, doc: { _class: 'Office', code: `o${i}`, letterTotal: 0 } })));
  await store.setCheckpoint('feed', String(await store.headSequence()));

  const runs: { ref: ObjectRef; at: number }[] = [];
  await queue.start({
    recompute: async (refs) => {
      const cascade: ObjectRef[] = [];
      const offices = refs.filter((r) => r.className === 'Office').map((r) => r.id);
      const letters = refs.filter((r) => r.className === 'Letter').map((r) => r.id);
      for (const ref of refs) runs.push({ ref, at: Date.now() });
      if (letters.length > 0) {
        for (const doc of await store.findByField('letter', null, 'num', letters)) cascade.push({ className: 'Office', id: String(doc.office) });
      }
      if (offices.length > 0) {
        const updates = [];
        for (const office of offices) {
          const mine = await store.findByField('letter', null, 'office', [office]);
          const total = mine.reduce((sum, doc) => sum + Number(doc.weight), 0);
          updates.push({ match: { code: office }, set: { letterTotal: total }, id: office });
        }
        await store.bulkSet('office', updates); // journaled as computed: the feed drops it
      }
      return cascade;
    },
  });
  const feed = createJournalFeed({
    store,
    sink: {
      queue,
      reconcile: async () => undefined,
      // The old office of a moved letter must be recomputed too: route through the old values.
      route: async (changes) =>
        changes.flatMap((change) => {
          const refs: ObjectRef[] = [{ className: change.className!, id: change.id! }];
          const old = change.oldValues?.office;
          if (typeof old === 'string') refs.push({ className: 'Office', id: old });
          return refs;
        }),
    },
    pollMs: 5,
  });
  const following = feed.run();

  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
  const letters = new Map<string, { office: string; weight: number }>();
  for (let i = 0; i < 300; i += 1) {
    const num = `l${random(40)}`;
    const office = `o${random(5)}`;
    const weight = random(100);
    if (letters.has(num)) await store.update('letter', [{ id: num, match: { num }, set: { office, weight } }]);
    else await store.insert('letter', [{ id: num, doc: { _class: 'Letter', num, office, weight } }]);
    letters.set(num, { office, weight });
  }
  const head = await store.headSequence();
  const deadline = Date.now() + 20_000;
  const caughtUp = async () => (feed.position() ?? 0) >= (await store.headSequence());
  // Caught up with the application's changes, the queue idle, then with our own (computed) writes.
  while ((feed.position() ?? 0) < head && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await queue.idle({ timeoutMs: 20_000, pollMs: 20 });
  while (!(await caughtUp()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  await feed.stop();
  await following;

  const final = await store.headSequence();
  expect(feed.position()).toBe(final);
  expect(await store.getCheckpoint('feed')).toBe(String(final));
  // The computed values equal a from-scratch computation.
  for (let i = 0; i < 5; i += 1) {
    const expected = [...letters.values()].filter((l) => l.office === `o${i}`).reduce((sum, l) => sum + l.weight, 0);
    const [office] = await store.findByField('office', null, 'code', [`o${i}`]);
    expect(office?.letterTotal).toBe(expected);
  }
  // Our own writes did not feed back: once idle, the journal holds only computed rows after the head.
  const after = await store.readChanges(head, 1000);
  expect(after.every((record) => record.computed)).toBe(true);
  expect((await queue.counts()).failed).toBe(0);
}

describe('feed → queue → processor', () => {
  it('with BullMQ, one job per object', () => pipeline(bullmq()), 60_000);
  it('with BullMQ, batched', () => pipeline(batched()), 60_000);
  it('with the in-process queue', () => pipeline(inProcess()), 60_000);
});
