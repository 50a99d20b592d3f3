/** The HTTP surface over a real port on 127.0.0.1. */
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, createMetrics, startHttpServer, type HttpAppOptions, type RunningHttpServer } from '../../src/http/index.ts';
import { createInProcessQueue, type RecomputeQueue } from '../../src/queue/index.ts';

const servers: RunningHttpServer[] = [];
const queues: RecomputeQueue[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

async function serve(options: HttpAppOptions): Promise<string> {
  const server = await startHttpServer(createHttpApp(options), { host: '127.0.0.1', port: 0 });
  servers.push(server);
  return server.url;
}

describe('/health', () => {
  it('answers 200 with the checks when all pass', async () => {
    const url = await serve({ health: { queue: async () => ({ ok: true, detail: { waiting: 3 } }) } });
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'ok', checks: { queue: { ok: true, detail: { waiting: 3 } } } });
    expect(typeof body.uptimeSeconds).toBe('number');
  });

  it('answers 503 when a check fails or throws', async () => {
    const url = await serve({
      health: {
        queue: async () => ({ ok: true }),
        redis: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    });
    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'failing', checks: { queue: { ok: true }, redis: { ok: false, detail: 'connect ECONNREFUSED' } } });
  });
});

describe('/metrics', () => {
  it('serves the Prometheus text with what the queue and the feed reported', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.setSources({
      counts: async () => ({ waiting: 7, active: 2, delayed: 1, failed: 3, completed: 40 }),
      feedHead: async () => 120,
    });
    const queue = createInProcessQueue({ observer: metrics.queueObserver, batchSize: 10 });
    queues.push(queue);
    await queue.start({ recompute: async (refs) => refs.filter((r) => r.className === 'Letter').map((r) => ({ className: 'Office', id: r.id })) });
    await queue.enqueue([{ className: 'Letter', id: '1' }, { className: 'Letter', id: '2' }], { changedAt: Date.now() - 50 });
    await queue.idle({ timeoutMs: 5000 });
    metrics.feedObserver.changes?.(2, 'journal');
    metrics.feedObserver.ownWrites?.(5);
    metrics.feedObserver.position?.(118);
    const url = await serve({ metrics });
    const response = await fetch(`${url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('recalc_changes_seen_total{source="journal"} 2');
    expect(text).toContain('recalc_own_writes_dropped_total 5');
    expect(text).toContain('recalc_jobs{state="waiting"} 7');
    expect(text).toContain('recalc_jobs{state="failed"} 3');
    expect(text).toContain('recalc_feed_position 118');
    expect(text).toContain('recalc_feed_head 120');
    expect(text).toContain('recalc_jobs_enqueued_total{reason="change"} 2');
    expect(text).toContain('recalc_jobs_enqueued_total{reason="cascade"} 2');
    // Two batches ran (the letters, then their offices); the first cascaded two objects.
    expect(text).toMatch(/recalc_recompute_duration_seconds_count\{outcome="ok"\} 2/);
    expect(text).toMatch(/recalc_cascade_size_bucket\{le="2"\} 2/);
    expect(text).toMatch(/recalc_cascade_size_sum 2/);
    // Four objects written, each at least 50 ms after its change.
    expect(text).toMatch(/recalc_change_lag_seconds_count 4/);
    expect(text).toMatch(/recalc_change_lag_seconds_bucket\{le="0.025"\} 0/);
  });

  it('includes Node process metrics by default', async () => {
    const url = await serve({ metrics: createMetrics() });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('recalc_process_cpu_user_seconds_total');
  });
});

describe('POST /refresh', () => {
  const post = (url: string, body: unknown, raw?: string) =>
    fetch(`${url}/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });

  it('queues the objects by key', async () => {
    const queue = createInProcessQueue();
    queues.push(queue);
    const url = await serve({ refresh: { queue, isKnownClass: (c) => c === 'Office' } });
    const response = await post(url, { class: 'Office', keys: ['101000', 102000, '101000'] });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ class: 'Office', queued: 2 });
    expect((await queue.counts()).waiting).toBe(2);
  });

  it('queues a whole-class refresh without keys', async () => {
    const refreshed: string[] = [];
    const url = await serve({
      refresh: { queue: { enqueue: async () => undefined, refreshClass: async (c) => void refreshed.push(c) } },
    });
    const response = await post(url, { class: 'Office' });
    expect(response.status).toBe(202);
    expect(refreshed).toEqual(['Office']);
  });

  it('refuses unknown classes, bad bodies and bad JSON with 400', async () => {
    const queue = createInProcessQueue();
    queues.push(queue);
    const url = await serve({ refresh: { queue, isKnownClass: (c) => c === 'Office' } });
    const cases: [unknown, RegExp][] = [
      [{ class: 'Ghost', keys: ['1'] }, /unknown class "Ghost"/],
      [{ class: 'Office', keys: [] }, /no key/],
      [{ class: 'Office', keys: 'x' }, /"keys" must be an array/],
      [{ keys: ['1'] }, /"class" must be/],
      [{ class: 'Office', keys: ['1'], force: true }, /unknown field: force/],
      [[1, 2], /expected a JSON object/],
    ];
    for (const [body, message] of cases) {
      const response = await post(url, body);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatch(message);
    }
    const bad = await post(url, null, '{"class": ');
    expect(bad.status).toBe(400);
    expect((await queue.counts()).waiting).toBe(0);
  });
});
