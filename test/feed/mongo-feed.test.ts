/**
 * The MongoDB feed against a real change stream. Runs only when MONGODB_URL names a replica set
 * (MongoDB is not installable on the development machines); otherwise skipped with a notice.
 */
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { createMongoFeed, identifyByKeys, type FeedSink, type ReconcileReason } from '../../src/feed/index.ts';
import type { ObjectRef } from '../../src/queue/index.ts';
import { REDIS_URL, keysUnder, randomPrefix } from '../queue/redis-helpers.ts';

const MONGODB_URL = process.env.MONGODB_URL;
if (!MONGODB_URL) console.warn('[mongo-feed.test] skipped: MONGODB_URL is not set (a replica set is needed for change streams)');

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!MONGODB_URL)('MongoDB feed (real change stream)', () => {
  it('reconciles on first start, follows changes, drops own writes, saves and resumes from the token', async () => {
    const client = new MongoClient(MONGODB_URL!);
    const redis = new Redis(REDIS_URL);
    const prefix = randomPrefix('test-mongo-feed');
    const db = client.db(`recalc_test_${Math.random().toString(36).slice(2, 8)}`);
    try {
      await db.createCollection('office');
      const enqueued: ObjectRef[] = [];
      const reconciled: ReconcileReason[] = [];
      const sink: FeedSink = {
        queue: { durable: true, enqueue: async (refs) => void enqueued.push(...refs), idle: async () => undefined },
        reconcile: async (reason) => void reconciled.push(reason),
      };
      const start = () => {
        const feed = createMongoFeed({
          db, collections: ['office'], preImages: false, redis, keyPrefix: prefix,
          identify: identifyByKeys(() => ['code']), computed: new Set(['total']), sink, leaderTtlMs: 2000, idleCheckpointMs: 200,
        });
        const controller = new AbortController();
        return { feed, stop: () => (controller.abort(), undefined), running: feed.run(controller.signal) };
      };

      const first = start();
      await until(() => reconciled.length === 1);
      expect(reconciled).toEqual([{ kind: 'no-checkpoint' }]);
      const offices = db.collection('office');
      await offices.insertOne({ _class: 'Office', code: '1', name: 'a' });
      await offices.updateOne({ code: '1' }, { $set: { total: 5 } }); // our own write: dropped
      await offices.updateOne({ code: '1' }, { $set: { name: 'b' } });
      await until(() => enqueued.length === 2);
      expect(enqueued).toEqual([{ className: 'Office', id: '1' }, { className: 'Office', id: '1' }]);
      first.stop();
      await first.running;
      expect(await redis.get(first.feed.keys.token)).toBeTruthy();

      // Changes while no feed runs are picked up from the saved token, without a reconcile.
      await offices.insertOne({ _class: 'Office', code: '2', name: 'c' });
      const second = start();
      await until(() => enqueued.length === 3);
      expect(enqueued[2]).toEqual({ className: 'Office', id: '2' });
      expect(reconciled).toHaveLength(1);

      // $out onto a watched collection renames a temporary collection over it: seen as a drop.
      await db.collection('staging').insertOne({ _class: 'Office', code: '3' });
      await db.collection('staging').aggregate([{ $match: {} }, { $out: 'office' }]).toArray();
      await until(() => reconciled.length === 2);
      expect(reconciled[1]).toEqual({ kind: 'drop', collection: 'office' });
      second.stop();
      await second.running;
    } finally {
      await db.dropDatabase().catch(() => undefined);
      const keys = await keysUnder(prefix);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      await client.close();
    }
  }, 60_000);
});
