/**
 * The end-to-end test on MongoDB: `recalc worker` following a real change stream, the queue on
 * the real Redis, a writer applying random changes through the MongoDB store, then every cached
 * value compared with a from-scratch rebuild. Runs only when MONGODB_URL names a replica set
 * (change streams need one); otherwise skipped with a notice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateDemoData } from '../../src/demo/dataset.ts';
import { openMongoStore, type StoredDocument } from '../../src/store/index.ts';
import {
  allDocuments, applyRandomChangesTo, cleanQueue, compareDocumentsWithRebuild, demoMeta, E2E_SCALE, randomQueueName, recalc, REDIS_URL, startChild,
  stopChild,
} from './helpers.ts';

const MONGODB_URL = process.env.MONGODB_URL;
if (!MONGODB_URL) console.warn('[worker mongodb.test] skipped: MONGODB_URL is not set (a replica set is needed for change streams)');
const CHANGES = Number(process.env.WORKER_MONGO_CHANGES ?? 2000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!MONGODB_URL)('the worker end to end on MongoDB (change stream, real Redis)', () => {
  it(`${CHANGES} random changes end equal to a from-scratch rebuild`, async () => {
    const meta = demoMeta();
    const database = randomQueueName('db').replace(/-/g, '_').slice(0, 60);
    const store = await openMongoStore({ url: MONGODB_URL!, database });
    cleanups.push(async () => {
      const { MongoClient } = await import('mongodb');
      const client = await MongoClient.connect(MONGODB_URL!);
      await client.db(database).dropDatabase();
      await client.close();
    });
    cleanups.push(() => store.close());
    for (const { collection, doc } of generateDemoData(E2E_SCALE)) await store.load(collection, [doc as StoredDocument]);

    const queueName = randomQueueName('mongo');
    cleanups.push(() => cleanQueue(queueName));
    const env = { REDIS_URL, MONGODB_URL: MONGODB_URL!, MONGODB_DB: database, RECALC_QUEUE_NAME: queueName, META_DIR: 'meta' };
    const worker = startChild(['bin/recalc.js', 'worker', '--http-port', '0', '--log-level', 'warn'], env);
    cleanups.push(async () => void (await stopChild(worker, 2000)));
    // The first start has no resume token: the stream is opened, then every class reconciled.
    for (let i = 0; i < 300; i++) {
      const { output } = await recalc(['status', '--mongo-db', database, '--json'], env);
      if (JSON.parse(output.trim().split('\n').at(-1)!).feed.checkpoint !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    await applyRandomChangesTo(meta, store, CHANGES, 21, { keepCachedValues: true });
    // The stream delivers asynchronously and MongoDB has no journal head to wait for: let it catch up first.
    await new Promise((r) => setTimeout(r, 3000));
    const status = await recalc(['status', '--mongo-db', database, '--wait-idle', '--timeout', '60', '--json'], env);
    expect(status.code, status.output + worker.output()).toBe(0);
    expect(JSON.parse(status.output.trim().split('\n').at(-1)!).failures).toEqual([]);
    expect(await stopChild(worker), worker.output()).toBe(0);

    const { differences } = await compareDocumentsWithRebuild(meta, await allDocuments(store));
    expect(differences).toEqual([]);
  }, 90_000);
});
