/**
 * Redis restarted during processing: the worker runs against a Redis server of its own (a random
 * port, never the shared one on 6379); while changes are written and processed, that server is
 * shut down (`SHUTDOWN SAVE`: a planned restart keeps the queue), left down for a while and
 * started again on the same port. The worker reconnects on its own and converges: once idle,
 * every cached value equals a from-scratch rebuild.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  applyRandomChanges, compareWithRebuild, createDemoStore, demoMeta, E2E_SCALE, freePort, randomQueueName, recalc, scratchDir, SHORT_LOCK_WORKER,
  startChild, stopChild, waitFeedStarted,
} from './helpers.ts';

const CHANGES = Number(process.env.WORKER_REDIS_RESTART_CHANGES ?? 3000);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts `redis-server` on `port` with its files in `dir`; resolves once it answers PING. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined); // refused until the server is up
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return server;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  server.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}`);
}

/** Shuts the server down saving its data (a planned restart), and waits for it to exit. */
async function shutdownRedis(port: number, server: ChildProcess): Promise<void> {
  const exited = new Promise((r) => server.once('exit', r));
  const client = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  await client.call('SHUTDOWN', 'SAVE').catch(() => undefined); // the connection closes under the reply
  client.disconnect();
  await exited;
}

describe('Redis restarted during processing', () => {
  it('the worker reconnects and converges to the rebuild', async () => {
    const meta = demoMeta();
    const { dir, remove } = scratchDir();
    const db = `${dir}/store.db`;
    const port = await freePort();
    let redis = await startRedis(port, dir);
    cleanups.push(remove, () => void redis.kill('SIGKILL'));
    await createDemoStore(db, E2E_SCALE);
    const redisUrl = `redis://127.0.0.1:${port}`;
    const env = { REDIS_URL: redisUrl, RECALC_QUEUE_NAME: randomQueueName('redis-restart'), META_DIR: 'meta', RECALC_LEADER_TTL_MS: '1000' };
    const worker = startChild([...SHORT_LOCK_WORKER, '--db', db, '--http-port', '0', '--log-level', 'error'], env);
    cleanups.push(async () => void (await stopChild(worker, 2000)));
    await waitFeedStarted(db, env, worker);

    let restarts = 0;
    await applyRandomChanges(meta, db, CHANGES, 3, {
      pauseEvery: Math.floor(CHANGES / 2),
      onPause: async (applied) => {
        if (applied !== Math.floor(CHANGES / 2)) return;
        await shutdownRedis(port, redis);
        // Down for 1.5 s while the writer goes on: the feed cannot queue, workers cannot fetch.
        await new Promise((r) => setTimeout(r, 1500));
        redis = await startRedis(port, dir);
        restarts++;
      },
    });
    expect(restarts).toBe(1);

    const status = await recalc(['status', '--db', db, '--wait-idle', '--timeout', '60', '--json'], env);
    expect(status.code, status.output + worker.output()).toBe(0);
    const report = JSON.parse(status.output.trim().split('\n').at(-1)!);
    expect(report.feed.behind).toBe(0);
    expect(report.failures).toEqual([]);
    expect(worker.process.exitCode, 'the worker kept running through the restart').toBeNull();
    expect(await stopChild(worker), worker.output()).toBe(0);

    const { compared, differences } = await compareWithRebuild(meta, db);
    expect(differences).toEqual([]);
    console.log(`[worker redis restart] ${CHANGES} changes, Redis down 1.5 s mid-way; ${compared} objects equal to the rebuild`);
  }, 90_000);
});
