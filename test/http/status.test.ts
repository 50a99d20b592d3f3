/** `GET /status` over a real port: the feed's position and head, the queue's counts and failures, read at each request. */
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, startHttpServer, type RunningHttpServer, type WorkerIdentity } from '../../src/http/index.ts';
import { createInProcessQueue, type RecomputeQueue } from '../../src/queue/index.ts';

const servers: RunningHttpServer[] = [];
const queues: RecomputeQueue[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

const worker: WorkerIdentity = { queue: 'in-process', store: 'embedded', db: '/tmp/x.db', mongodbDb: null, queueName: 'recalc' };

describe('GET /status', () => {
  it('shows the counts as work is added and done, and the failures', async () => {
    let position: string | null = '5';
    let head = 5;
    const queue = createInProcessQueue({ batchSize: 10, attempts: 1 });
    queues.push(queue);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    await queue.start({
      recompute: async (refs) => {
        await held;
        if (refs.some((r) => r.id === 'bad')) {
          return { cascade: [], failed: refs.filter((r) => r.id === 'bad').map((ref) => ({ ref, error: Object.assign(new Error('division by zero'), { name: 'FormulaRuntimeError' }) })) };
        }
        return [];
      },
    });
    const checkpoint = { load: async () => position, save: async (value: string) => void (position = value), clear: async () => void (position = null) };
    const oldest = { seq: 2, time: new Date('2026-12-01T10:00:00Z') };
    const server = await startHttpServer(createHttpApp({ status: { sources: { checkpoint, head: async () => head, oldest: async () => oldest, queue }, worker } }), { host: '127.0.0.1', port: 0 });
    servers.push(server);
    const status = async (query = '') => (await fetch(`${server.url}/status${query}`)).json();

    expect(await status()).toEqual({
      feed: { checkpoint: '5', position: 5, head: 5, behind: 0 },
      queue: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 },
      failures: [],
      journal: { records: 4, oldest: { seq: 2, time: '2026-12-01T10:00:00.000Z' } },
      idle: true,
      worker,
    });

    head = 8;
    await queue.enqueue([{ className: 'Office', id: '1' }, { className: 'Office', id: 'bad' }]);
    const busy = await status();
    expect(busy.feed).toMatchObject({ position: 5, head: 8, behind: 3 });
    expect(busy.queue.waiting + busy.queue.active).toBe(2);
    expect(busy.idle).toBe(false);

    release();
    await queue.idle({ timeoutMs: 5000 });
    position = '8';
    const done = await status();
    expect(done).toMatchObject({ feed: { behind: 0 }, queue: { waiting: 0, active: 0, failed: 1, completed: 1 }, idle: true });
    expect(done.failures).toEqual([expect.objectContaining({ ref: { className: 'Office', id: 'bad' }, error: expect.stringContaining('division by zero') })]);
    expect((await status('?failures=0')).failures).toEqual([]);
  });

  it('refuses a bad failures limit and answers 503 when a source fails', async () => {
    const checkpoint = {
      load: async (): Promise<string | null> => {
        throw new Error('database is locked');
      },
      save: async () => undefined,
      clear: async () => undefined,
    };
    const server = await startHttpServer(createHttpApp({ status: { sources: { checkpoint }, worker } }), { host: '127.0.0.1', port: 0 });
    servers.push(server);
    expect((await fetch(`${server.url}/status?failures=many`)).status).toBe(400);
    expect((await fetch(`${server.url}/status?failures=101`)).status).toBe(400);
    const failing = await fetch(`${server.url}/status`);
    expect(failing.status).toBe(503);
    expect(await failing.json()).toEqual({ error: 'cannot read the status: database is locked' });
  });

  it('is not served unless asked for', async () => {
    const server = await startHttpServer(createHttpApp({}), { host: '127.0.0.1', port: 0 });
    servers.push(server);
    expect((await fetch(`${server.url}/status`)).status).toBe(404);
  });
});
