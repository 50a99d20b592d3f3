/**
 * Crash safety: the worker process is killed with SIGKILL at random moments — while the writer
 * writes and while the queue drains — and restarted each time. Nothing is lost: once idle, every
 * cached value equals a from-scratch rebuild. The worker runs with short stalled-job timings
 * (lock 2 s, check every 1 s) and a 1 s leader TTL, so a dead worker's jobs and lock come back
 * in seconds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyRandomChanges, cleanQueue, compareWithRebuild, createDemoStore, demoMeta, E2E_SCALE, prng, randomQueueName, recalc, REDIS_URL, scratchDir,
  SHORT_LOCK_WORKER, startChild, stopChild, waitFeedStarted, type Child,
} from './helpers.ts';

const CHANGES = Number(process.env.WORKER_CRASH_CHANGES ?? 10_000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the worker survives SIGKILL', () => {
  for (const layout of ['per-object', 'batched'] as const) {
    it(`${layout} jobs: killed several times at random moments, restarted, ends equal to the rebuild`, async () => {
      const meta = demoMeta();
      const { dir, remove } = scratchDir();
      const db = `${dir}/store.db`;
      const queueName = randomQueueName('crash');
      cleanups.push(remove, () => cleanQueue(queueName));
      await createDemoStore(db, E2E_SCALE);
      const env = { REDIS_URL, RECALC_QUEUE_NAME: queueName, RECALC_QUEUE_JOBS: layout, META_DIR: 'meta', RECALC_LEADER_TTL_MS: '1000' };
      const args = [...SHORT_LOCK_WORKER, '--db', db, '--http-port', '0', '--log-level', 'warn'];
      let worker: Child = startChild(args, env);
      cleanups.push(async () => void (await stopChild(worker, 2000)));
      await waitFeedStarted(db, env, worker);

      const random = prng(layout === 'per-object' ? 11 : 12);
      let kills = 0;
      const killAndRestart = async () => {
        // A random moment: somewhere in the next 0–400 ms of the worker's work.
        await new Promise((r) => setTimeout(r, random() * 400));
        worker.process.kill('SIGKILL');
        expect(await worker.exited).toBe('SIGKILL');
        kills++;
        worker = startChild(args, env);
      };
      // Killed three times while the changes are written, at random points of the stream…
      const killAt = new Set([0.2, 0.5, 0.8].map((f) => Math.round((CHANGES * (f + (random() - 0.5) * 0.2)) / 250) * 250));
      await applyRandomChanges(meta, db, CHANGES, 5, {
        pauseEvery: 250,
        onPause: async (applied) => {
          if (killAt.has(applied)) await killAndRestart();
        },
      });
      // …and once more while the queue drains what was written.
      await killAndRestart();
      expect(kills).toBeGreaterThanOrEqual(4);

      const status = await recalc(['status', '--db', db, '--wait-idle', '--timeout', '60', '--json'], env);
      expect(status.code, status.output + worker.output()).toBe(0);
      const report = JSON.parse(status.output.trim().split('\n').at(-1)!);
      expect(report.feed.behind).toBe(0);
      expect(report.failures).toEqual([]);
      expect(await stopChild(worker), worker.output()).toBe(0);

      const { compared, differences } = await compareWithRebuild(meta, db);
      expect(differences).toEqual([]);
      console.log(`[worker crash ${layout}] ${CHANGES} changes, ${kills} SIGKILLs and restarts; ${compared} objects equal to the rebuild`);
    }, 90_000);
  }
});
