/**
 * The contract suite against a real MongoDB when `MONGODB_URL` names one (a replica set, for the
 * later change-feed work); each suite run uses a database of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { UnsupportedOperationError } from '../../src/store/errors.ts';
import { openMongoStore } from '../../src/store/mongo/mongo-store.ts';
import { describeStoreContract } from './contract.ts';

const url = process.env.MONGODB_URL;

if (!url) {
  describe('MongoDB store', () => {
    it.skip('skipped: MONGODB_URL not set', () => {});
  });
} else {
  const freshDatabase = () => `recalc_test_${randomBytes(6).toString('hex')}`;

  describeStoreContract('MongoDB', async () => {
    const database = freshDatabase();
    const store = await openMongoStore({ url, database });
    return {
      store,
      dispose: async () => {
        await store.close();
        const client = await MongoClient.connect(url);
        try { await client.db(database).dropDatabase(); } finally { await client.close(); }
      },
    };
  }, { journal: false });

  describe('MongoDB store specifics', () => {
    it('reports the change feed as not supported yet', async () => {
      const database = freshDatabase();
      const store = await openMongoStore({ url, database });
      try {
        await expect(store.readChanges(0, 10)).rejects.toBeInstanceOf(UnsupportedOperationError);
        await expect(store.headSequence()).rejects.toThrow(/not supported yet/);
      } finally {
        await store.close();
      }
    });
  });
}
