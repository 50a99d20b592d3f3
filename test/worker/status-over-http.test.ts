/**
 * `recalc status` and `recalc refresh` against a worker on the in-process queue (no Redis): the
 * worker is a child process (`recalc worker`) on an embedded store file; the commands reach it
 * over its HTTP server — found through RECALC_HTTP_PORT as a worker started with the same
 * environment listens, or named with `--url`. The counts move as work is added, `--wait-idle`
 * returns once it is done (and exits 1 on timeout), and a refresh by key recomputes values the
 * feed could not see were wrong.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedTargets } from '../../src/recompute/index.ts';
import { openEmbeddedStore, type StoredDocument } from '../../src/store/index.ts';
import {
  applyRandomChanges, compareWithRebuild, createDemoStore, demoMeta, E2E_SCALE, freePort, recalc, scratchDir, startChild, stopChild, type Child,
} from './helpers.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The last line of a command's output, as JSON. */
function lastJson(output: string): any {
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

async function waitAnswering(url: string, worker: Child): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const answer = await fetch(`${url}/status`).then((r) => (r.ok ? r.json() : null), () => null);
    if (answer && answer.feed.position !== null) return;
    if (worker.process.exitCode !== null) throw new Error(`the worker exited:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the worker did not answer at ${url}:\n${worker.output()}`);
}

describe('status and refresh over HTTP, in-process queue', () => {
  it('follow the counts, wait for idle, and refresh by key', async () => {
    const meta = demoMeta();
    const { dir, remove } = scratchDir();
    cleanups.push(remove);
    const db = join(dir, 'store.db');
    await createDemoStore(db, E2E_SCALE);
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // No Redis (an empty REDIS_URL is unset): the in-process queue; the commands find the worker by RECALC_HTTP_PORT.
    const env = { REDIS_URL: '', META_DIR: 'meta', RECALC_HTTP_PORT: String(port) };
    const worker = startChild(['bin/recalc.js', 'worker', '--db', db, '--log-level', 'warn'], env);
    cleanups.push(async () => void (await stopChild(worker, 5000)));
    await waitAnswering(url, worker);

    // The start-up reconcile drains; --wait-idle returns once it has.
    const first = await recalc(['status', '--db', db, '--wait-idle', '--timeout', '60', '--json'], env);
    expect(first.code, first.output + worker.output()).toBe(0);
    const settled = lastJson(first.output);
    expect(settled).toMatchObject({ idle: true, url, worker: { queue: 'in-process', store: 'embedded', db }, feed: { behind: 0 }, failures: [] });
    expect(settled.queue).toMatchObject({ waiting: 0, active: 0, delayed: 0, failed: 0 });
    expect(settled.queue.completed).toBeGreaterThan(0);

    // Work added: asked between the writer's bursts of changes, /status shows the feed behind or
    // jobs queued; the completed count grows.
    const samples: { behind: number; busy: number; completed: number }[] = [];
    await applyRandomChanges(meta, db, 2000, 21, {
      pauseEvery: 100,
      onPause: async () => {
        const s = await (await fetch(`${url}/status`)).json();
        samples.push({ behind: s.feed.behind, busy: s.queue.waiting + s.queue.active + s.queue.delayed, completed: s.queue.completed });
      },
    });
    expect(samples.some((s) => s.behind > 0 || s.busy > 0), JSON.stringify(samples.slice(0, 20))).toBe(true);

    const text = await recalc(['status', '--url', url, '--wait-idle', '--timeout', '60'], env);
    expect(text.code, text.output + worker.output()).toBe(0);
    expect(text.output).toContain(`worker: ${url} (in-process queue, ${db})`);
    expect(text.output).toMatch(/feed: position (\d+) \/ head \1 \(0 behind\)/);
    expect(text.output).toMatch(/queue: waiting 0, active 0, delayed 0, failed 0, completed \d+/);
    // The worker's status carries its journal: every record since the first kept (none pruned).
    const [, head] = /head (\d+)/.exec(text.output)!;
    expect(text.output).toMatch(new RegExp(`journal: ${head} records kept, oldest 1 \\(\\d{4}-\\d\\d-\\d\\dT`));
    const after = lastJson((await recalc(['status', '--json'], env)).output);
    expect(after.queue.completed).toBeGreaterThan(settled.queue.completed);
    expect((await compareWithRebuild(meta, db)).differences).toEqual([]);

    // Cached values made wrong the way only the worker writes (journaled as computed: the feed
    // drops them), so nothing but a refresh puts them right.
    const order = meta.repository.get('order@demo');
    const targets = cachedTargets(order).map((t) => t.attribute);
    const store = openEmbeddedStore({ path: db });
    const docs: StoredDocument[] = (await store.findByFilter(order.storage.collection, [order.canonicalName], {}, { limit: 3 })).slice(0, 2);
    expect(docs).toHaveLength(2);
    const keys = docs.map((doc) => order.key.map((k) => String(doc[k])).join('_'));
    await store.bulkSet(order.storage.collection, docs.map((doc, i) => ({
      match: Object.fromEntries(order.key.map((k) => [k, doc[k]!])), id: keys[i], set: Object.fromEntries(targets.map((t) => [t, 'stale'])),
    })));
    await store.close();
    expect((await recalc(['status', '--wait-idle', '--timeout', '60'], env)).code).toBe(0);
    expect((await compareWithRebuild(meta, db)).differences).toHaveLength(2);

    const refreshed = await recalc(['refresh', '--class', 'order@demo', '--key', ...keys], env);
    expect(refreshed.code, refreshed.output).toBe(0);
    expect(refreshed.output).toContain('queued 2 order@demo objects');
    expect((await recalc(['status', '--url', url, '--wait-idle', '--timeout', '60'], env)).code).toBe(0);
    expect((await compareWithRebuild(meta, db)).differences).toEqual([]);

    // A whole class, and the worker's answer to an unknown class.
    const whole = await recalc(['refresh', '--url', url, '--class', 'product@demo'], env);
    expect(whole.output).toContain('queued a refresh of every product@demo object');
    expect(whole.code).toBe(0);
    const unknown = await recalc(['refresh', '--class', 'nowhere'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toMatch(/nowhere/);

    // --wait-idle that runs out of time exits 1 (two idle answers in a row are needed: one poll cannot do).
    const timedOut = await recalc(['status', '--wait-idle', '--timeout', '0.001'], env);
    expect(timedOut.code).toBe(1);
    expect(timedOut.output).toMatch(/not idle after 0\.001 s/);

    // Another store file than the worker's is refused, naming both.
    const other = await recalc(['status', '--db', join(dir, 'other.db')], env);
    expect(other.code).toBe(1);
    expect(other.output).toContain(`the worker at ${url} runs on ${db}, not on ${join(dir, 'other.db')} (--db)`);

    expect(await stopChild(worker), worker.output()).toBe(0);
    // No worker any more: the commands say which URL did not answer.
    for (const args of [['status'], ['status', '--url', url, '--wait-idle'], ['refresh', '--class', 'order@demo', '--key', keys[0]!]]) {
      const failed = await recalc(args, env);
      expect(failed.code, args.join(' ')).toBe(1);
      expect(failed.output).toContain(`cannot reach the worker at ${url}/`);
      expect(failed.output).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
