/**
 * The worker end to end, as it runs in production: `recalc worker` as a child process on an
 * embedded store file and the real Redis, a writer applying random application changes to the
 * same file (journaled, as an application writes), `recalc status --wait-idle`, then every
 * cached value compared with a from-scratch rebuild of the same documents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { countDemoDocuments } from '../../src/demo/dataset.ts';
import {
  applyRandomChanges, cleanQueue, compareWithRebuild, createDemoStore, demoMeta, randomQueueName, recalc, REDIS_URL, scratchDir, startChild, stopChild,
  type Child,
} from './helpers.ts';

/** About 500 objects of every demo class; changes hit shared products, orders and districts often. */
export const E2E_SCALE = { districts: 4, settlementsPerDistrict: 3, orders: 60, linesPerOrder: 5, products: 12 };
const CHANGES = Number(process.env.WORKER_E2E_CHANGES ?? 10_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Waits until the worker has read the journal once (its first checkpoint is written after the start-up reconcile). */
export async function waitFeedStarted(db: string, env: Record<string, string>, child: Child): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const { output } = await recalc(['status', '--db', db, '--json'], env);
    if (JSON.parse(output.trim().split('\n').at(-1)!).feed.position !== null) return;
    if (child.process.exitCode !== null) throw new Error(`the worker exited:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the worker did not start its feed:\n${child.output()}`);
}

describe('the worker end to end (embedded store, real Redis)', () => {
  for (const layout of ['per-object', 'batched'] as const) {
    const changes = layout === 'per-object' ? CHANGES : Math.min(CHANGES, 3000);
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
