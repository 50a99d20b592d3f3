/**
 * The Bull Board dashboard over a real BullMQ queue: its API over HTTP, and the page in headless
 * Chromium (Debian's package, driven by playwright-core). The browser test is skipped, with a
 * notice, where no Chromium binary exists.
 */
import { existsSync } from 'node:fs';
import { Queue } from 'bullmq';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp, startHttpServer, type RunningHttpServer } from '../../src/http/index.ts';
import { createBullmqQueue, type BullmqRecomputeQueue } from '../../src/queue/index.ts';
import { REDIS_URL, deleteUnder, keysUnder, randomPrefix } from '../queue/redis-helpers.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[dashboard.test] skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

const prefix = randomPrefix('test-dashboard');
const name = `recalc-board-${Math.random().toString(36).slice(2, 8)}`;
let queue: BullmqRecomputeQueue;
let server: RunningHttpServer;

beforeAll(async () => {
  queue = createBullmqQueue({ redisUrl: REDIS_URL, prefix, name });
  // Jobs waiting (no worker runs): the dashboard must list them.
  await queue.enqueue([{ className: 'Office', id: '101000' }, { className: 'Office', id: '102000' }]);
  server = await startHttpServer(createHttpApp({ dashboardQueues: [queue.queue] }), { host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await server?.close();
  await queue?.close();
  const cleaner = new Queue(name, { connection: { url: REDIS_URL }, prefix });
  await cleaner.obliterate({ force: true });
  await cleaner.close();
  await deleteUnder(prefix);
  expect(await keysUnder(prefix)).toEqual([]);
});

describe('dashboard', () => {
  it('its API lists the queue and its waiting jobs', async () => {
    const response = await fetch(`${server.url}/queues/api/queues?activeQueue=${name}&status=waiting&page=1`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: { name: string; counts: Record<string, number>; jobs: { name: string; data: unknown }[] }[] };
    const shown = body.queues.find((q) => q.name === name);
    expect(shown?.counts.waiting).toBe(2);
    expect(shown?.jobs.map((job) => job.data)).toEqual(
      expect.arrayContaining([expect.objectContaining({ className: 'Office', id: '101000' }), expect.objectContaining({ className: 'Office', id: '102000' })]),
    );
  });

  it.skipIf(!hasChromium)('shows the queue and a job in a browser', async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      const page = await browser.newPage();
      await page.goto(`${server.url}/queues`);
      await page.getByText(name).first().waitFor({ timeout: 15_000 });
      await page.goto(`${server.url}/queues/queue/${encodeURIComponent(name)}?status=waiting`);
      // The job's data is rendered in its card.
      await page.getByText('101000').first().waitFor({ timeout: 15_000 });
      expect(await page.getByText('recompute').count()).toBeGreaterThan(0);
    } finally {
      await browser?.close();
    }
  }, 60_000);
});
