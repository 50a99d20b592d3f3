/**
 * `startWorker` with no Redis and no MongoDB (embedded store, in-process queue), in this process:
 * the start-up reconcile computes every cached value, a journaled change is followed, the HTTP
 * server answers /health, /metrics and POST /refresh, and stop() closes everything. Then bad
 * configurations: `worker.ts` stops start-up with one clear message and exit code 1.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { openEmbeddedStore } from '../../src/store/index.ts';
import { startWorker } from '../../src/worker/start-worker.ts';
import { compareWithRebuild, createDemoStore, demoMeta, freePort, scratchDir, startChild } from './helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('startWorker without Redis or MongoDB', () => {
  it('reconciles, follows the journal, serves HTTP, and stops cleanly', async () => {
    const { dir, remove } = scratchDir();
    cleanups.push(remove);
    const db = join(dir, 'store.db');
    await createDemoStore(db, { districts: 2, settlementsPerDistrict: 2, orders: 5, linesPerOrder: 3, products: 4 });
    const port = await freePort();
    // A schedule may name a class by its short name (checked at start-up, like an unknown one).
    const config = loadConfig({ env: {}, options: { embeddedDb: db, httpPort: port, metaDir: 'meta', schedules: '0 3 * * * => product, order@demo' } });
    const worker = await startWorker(config, { logger: silentLogger });
    cleanups.push(() => worker.stop());
    expect(worker.queue.kind).toBe('in-process');

    // No checkpoint: the feed reconciles (every class refreshed), then checkpoints the head.
    await until(async () => (await worker.store.getCheckpoint('feed')) !== null);
    await worker.queue.idle();
    const meta = demoMeta();
    expect((await compareWithRebuild(meta, db)).differences).toEqual([]);

    // An application change through another connection is followed.
    const writer = openEmbeddedStore({ path: db });
    const product = meta.repository.get('product@demo');
    const [doc] = await writer.findByFilter(product.storage.collection, [product.canonicalName], {}, { limit: 1 });
    await writer.update(product.storage.collection, [{ id: String(doc!.sku), match: { sku: doc!.sku }, set: { price: 1234.5 } }]);
    const head = await writer.headSequence();
    await writer.close();
    await until(async () => Number(await worker.store.getCheckpoint('feed')) >= head);
    await worker.queue.idle();
    expect((await compareWithRebuild(meta, db)).differences).toEqual([]);

    const base = worker.http!.url;
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/recalc_changes_seen_total\{source="journal"\} [1-9]/);
    expect(metrics).toMatch(/recalc_feed_head \d+/);
    const refresh = await fetch(`${base}/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: 'product@demo', keys: [String(doc!.sku)] }) });
    expect(refresh.status).toBe(202);
    expect((await fetch(`${base}/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ class: 'nope' }) })).status).toBe(400);

    await worker.stop();
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    await expect(worker.store.headSequence()).rejects.toThrow();
  }, 60_000);
});

describe('worker.ts with a bad configuration', () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ['an invalid value', ['--batch-size', '0'], {}, /invalid configuration: --batch-size: must be between 1 and 10000, got 0/],
    ['an unreachable Redis', [], { REDIS_URL: 'redis://127.0.0.1:1' }, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(REDIS_URL\)/],
    ['an unknown class in a schedule', ['--schedule', '0 3 * * * => Nowhere'], {}, /schedule "s1": unknown class "Nowhere"/],
    ['a missing meta directory', ['--meta', 'no/such/meta'], {}, /META_DIR: meta directory not found: no\/such\/meta/],
  ];
  for (const [what, args, env, message] of cases) {
    it(`${what}: one message, exit 1`, async () => {
      const { dir, remove } = scratchDir();
      cleanups.push(remove);
      const child = startChild(['--import', 'tsx', 'worker.ts', '--db', join(dir, 'x.db'), '--http-port', '0', ...args], env);
      expect(await child.exited).toBe(1);
      expect(child.output()).toMatch(message);
      expect(child.output()).not.toMatch(/\n\s+at /); // no stack trace
    }, 30_000);
  }
});
