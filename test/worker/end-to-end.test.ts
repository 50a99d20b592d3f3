/**
 * The worker end to end, as it runs in production: `recalc worker` as a child process on an
 * embedded store file and the real Redis, a writer applying random application changes to the
 * same file (journaled, as an application writes), `recalc status --wait-idle`, then every
 * cached value compared with a from-scratch rebuild of the same documents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { countDemoDocuments } from '../../src/demo/dataset.ts';
import {
  applyRandomChanges, cleanQueue, compareWithRebuild, createDemoStore, demoMeta, E2E_SCALE, randomQueueName, recalc, REDIS_URL, scratchDir, startChild,
  stopChild, waitFeedStarted,
} from './helpers.ts';

const CHANGES = Number(process.env.WORKER_E2E_CHANGES ?? 10_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the worker end to end (embedded store, real Redis)', () => {
  for (const layout of ['per-object', 'batched'] as const) {
    const changes = CHANGES;
    it(`${layout} jobs: ${changes} random changes while the worker runs end equal to a from-scratch rebuild`, async () => {
      const meta = demoMeta();
      const { dir, remove } = scratchDir();
      const db = `${dir}/store.db`;
      const queueName = randomQueueName('e2e');
      cleanups.push(remove, () => cleanQueue(queueName));
      await createDemoStore(db, E2E_SCALE);
      const env = { REDIS_URL, RECALC_QUEUE_NAME: queueName, RECALC_QUEUE_JOBS: layout, META_DIR: 'meta' };
      const worker = startChild(['bin/recalc.js', 'worker', '--db', db, '--http-port', '0', '--log-level', 'warn'], env);
      cleanups.push(async () => void (await stopChild(worker, 2000)));
      await waitFeedStarted(db, env, worker);

      const started = Date.now();
      await applyRandomChanges(meta, db, changes, 7);
      const written = Date.now();
      const status = await recalc(['status', '--db', db, '--wait-idle', '--timeout', '120', '--json'], env);
      const idle = Date.now();
      expect(status.code, status.output + worker.output()).toBe(0);
      const report = JSON.parse(status.output.trim().split('\n').at(-1)!);
      expect(report.idle).toBe(true);
      expect(report.feed.behind).toBe(0);
      expect(report.failures).toEqual([]);

      expect(await stopChild(worker), worker.output()).toBe(0);
      const { compared, fields, differences } = await compareWithRebuild(meta, db);
      expect(differences).toEqual([]);
      expect(compared).toBeGreaterThan(countDemoDocuments(E2E_SCALE) / 2);
      console.log(
        `[worker e2e ${layout}] ${changes} changes written in ${written - started} ms, idle ${idle - written} ms later; ` +
          `${compared} objects (${fields} cached fields) equal to the rebuild`,
      );
    }, 90_000);
  }
});
