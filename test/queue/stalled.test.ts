/**
 * A worker process killed mid-job: its job is recovered by another worker once the lock expires.
 * (The stalled check is throttled by a Redis key every worker sets for `stalledInterval`, so the
 * killed worker uses a short interval too.)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, expect, it } from 'vitest';
import { createBullmqQueue, type ObjectRef } from '../../src/queue/index.ts';
import { REDIS_URL, deleteUnder, keysUnder, randomPrefix } from './redis-helpers.ts';

const prefix = randomPrefix('test-stalled');
const name = 'recalc-stalled';

afterAll(async () => {
  const cleaner = new Queue(name, { connection: { url: REDIS_URL }, prefix });
  await cleaner.obliterate({ force: true });
  await cleaner.close();
  await deleteUnder(prefix);
  expect(await keysUnder(prefix)).toEqual([]);
});

it('recovers the job of a worker killed with SIGKILL', async () => {
  const producer = createBullmqQueue({ redisUrl: REDIS_URL, prefix, name });
  await producer.enqueue([{ className: 'Office', id: 'orphan' }]);
  const fixture = fileURLToPath(new URL('./fixtures/stalling-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, REDIS_URL, prefix, name], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve());
    child.on('exit', (code) => reject(new Error(`the worker exited early (${code})`)));
  });
  expect((await producer.counts()).active).toBe(1);
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  const seen: ObjectRef[] = [];
  const rescuer = createBullmqQueue({ redisUrl: REDIS_URL, prefix, name, stalledIntervalMs: 200, lockDurationMs: 500 });
  await rescuer.start({ recompute: async (refs) => (seen.push(...refs), []) });
  const deadline = Date.now() + 10_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(seen).toEqual([{ className: 'Office', id: 'orphan' }]);
  await rescuer.idle({ timeoutMs: 5000, pollMs: 50 });
  const counts = await rescuer.counts();
  expect(counts).toMatchObject({ completed: 1, failed: 0 });
  await rescuer.close();
  await producer.close();
}, 30_000);
