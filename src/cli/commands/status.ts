/**
 * `recalc status [--wait-idle] [--timeout S]`: the feed's position against the head of the change
 * log, the queue's counts and its last errors. With `--wait-idle` it blocks until every change made
 * so far is processed and the queue is empty (exit 0), or the timeout passes (exit 1).
 *
 * Where it reads them: from a running worker's `GET /status` when `--url` names one, or when no
 * Redis is configured (the in-process queue lives in the worker's memory; the worker is looked
 * for at `http://$RECALC_HTTP_HOST:$RECALC_HTTP_PORT`, where one started with the same
 * environment listens); else from the store (`--db`) or Redis (`--mongo-db`) and the queue's
 * Redis, with no worker process needed.
 */
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Redis } from 'ioredis';
import { loadConfig } from '../../config/index.ts';
import { readStatus, redisCheckpoint, storeCheckpoint, waitCaughtUp, type StatusSources, type WorkerStatus } from '../../feed/index.ts';
import type { StatusReport } from '../../http/status-route.ts';
import { createRecomputeQueue, type RecomputeQueue } from '../../queue/index.ts';
import type { EmbeddedStore } from '../../store/index.ts';
import { openEmbeddedOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';
import { defaultWorkerUrl, fetchWorkerStatus, parseWorkerUrl, waitWorkerCaughtUp } from '../worker-http.ts';

interface StatusOptions {
  db?: string;
  mongoDb?: string;
  redisUrl?: string;
  queueName?: string;
  url?: string;
  waitIdle?: boolean;
  timeout: string;
  json?: boolean;
}

/** The status as lines for a terminal. */
export function formatStatus(status: WorkerStatus): string[] {
  const { feed, queue, failures, journal } = status;
  const position = feed.position ?? feed.checkpoint ?? 'none (the worker has not started on this store)';
  const lines = [`feed: position ${position}${feed.head !== null ? ` / head ${feed.head} (${feed.behind ?? '?'} behind)` : ''}`];
  // A worker of an older version sends no journal section.
  if (journal) {
    lines.push(journal.oldest
      ? `journal: ${journal.records} records kept, oldest ${journal.oldest.seq} (${journal.oldest.time}); recalc prune-journal deletes those read`
      : 'journal: empty');
  }
  lines.push(
    queue
      ? `queue: waiting ${queue.waiting}, active ${queue.active}, delayed ${queue.delayed}, failed ${queue.failed}, completed ${queue.completed}`
      : 'queue: not visible from here',
  );
  if (failures.length > 0) {
    lines.push('last errors:');
    for (const f of failures) {
      const what = f.ref ? `${f.ref.className} ${f.ref.id}` : `refresh of ${f.className ?? '?'}`;
      lines.push(`  ${what} (${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.error}`);
    }
  }
  return lines;
}

export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description("the worker's progress: feed position vs the change log's head, queue counts, last errors")
    .option('--db <path>', 'embedded store file (default: $EMBEDDED_DB); over HTTP, checked to be the worker\'s', process.env.EMBEDDED_DB)
    .option('--mongo-db <name>', 'MongoDB database the worker follows (default: $MONGODB_DB); its resume token is in Redis', process.env.MONGODB_DB)
    .option('--redis-url <url>', "the worker's Redis (default: $REDIS_URL)")
    .option('--queue-name <name>', "the worker's queue name (default: $RECALC_QUEUE_NAME or recalc)")
    .option('--url <url>', "ask the running worker's HTTP server (GET /status); the default with no Redis: http://$RECALC_HTTP_HOST:$RECALC_HTTP_PORT (127.0.0.1:9464)")
    .option('--wait-idle', 'wait until every change so far is processed and the queue is empty')
    .option('--timeout <seconds>', 'with --wait-idle: give up after this long (exit 1)', '600')
    .option('--json', 'print the status as JSON')
    .action(async (opts: StatusOptions) => {
      const timeoutS = Number(opts.timeout);
      if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new CliError(`--timeout: a positive number of seconds, not ${opts.timeout}`, 1);
      if (opts.url && opts.redisUrl) throw new CliError('use --url (the worker over HTTP) or --redis-url (its queue in Redis), not both', 1);
      const config = loadConfig({ env: process.env, options: { ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}), ...(opts.queueName ? { queueName: opts.queueName } : {}) } });
      if (opts.url || !config.redisUrl) {
        await statusOverHttp(opts.url ? parseWorkerUrl(opts.url) : defaultWorkerUrl(config), opts, timeoutS, io);
        return;
      }
      if (!opts.db && !opts.mongoDb) throw new CliError('say which store: --db PATH (embedded) or --mongo-db NAME (MongoDB)', 1);
      const closers: (() => Promise<unknown>)[] = [];
      try {
        let sources: StatusSources;
        let store: EmbeddedStore | null = null;
        if (opts.db) {
          const opened = openEmbeddedOrFail(opts.db);
          store = opened;
          closers.push(() => opened.close());
        }
        // A producer-only handle on the shared queue: reads counts and failures, runs nothing.
        const queue: RecomputeQueue = createRecomputeQueue(config);
        closers.push(() => queue.close());
        if (store) {
          const s = store;
          sources = { checkpoint: storeCheckpoint(s, 'feed'), head: () => s.headSequence(), oldest: () => s.oldestChange(), queue };
        } else {
          const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 3 });
          closers.push(async () => redis.disconnect());
          sources = { checkpoint: redisCheckpoint(redis, `${config.queueName}:feed:${opts.mongoDb}:token`), queue };
        }
        let idle = true;
        if (opts.waitIdle) idle = await waitCaughtUp(sources, { timeoutMs: timeoutS * 1000, pollMs: 200 });
        const status = await readStatus(sources);
        if (opts.json) io.out(JSON.stringify({ ...status, idle }));
        else for (const line of formatStatus(status)) io.out(line);
        if (!idle) throw new CliError(`not idle after ${timeoutS} s`, 1);
      } finally {
        for (const close of closers.reverse()) await close();
      }
    });
}

/** The status from the worker's `GET /status`; `--db`/`--mongo-db`, when given, must be what it runs on. */
async function statusOverHttp(base: string, opts: StatusOptions, timeoutS: number, io: CliIo): Promise<void> {
  checkSameWorker(base, await fetchWorkerStatus(base, 0), opts);
  let idle = true;
  if (opts.waitIdle) idle = (await waitWorkerCaughtUp(base, { timeoutMs: timeoutS * 1000, pollMs: 200 })).idle;
  const status = await fetchWorkerStatus(base);
  if (opts.json) {
    io.out(JSON.stringify({ ...status, idle, url: base }));
  } else {
    const { worker } = status;
    const on = worker.store === 'embedded' ? (worker.db ?? 'an in-memory store') : `MongoDB ${worker.mongodbDb ?? ''}`.trim();
    io.out(`worker: ${base} (${worker.queue} queue, ${on})`);
    for (const line of formatStatus(status)) io.out(line);
  }
  if (!idle) throw new CliError(`not idle after ${timeoutS} s`, 1);
}

/** Refuses a worker that runs on another store than the one named: its status would answer a different question. */
function checkSameWorker(base: string, status: StatusReport, opts: StatusOptions): void {
  const { worker } = status;
  if (opts.db && worker.store === 'embedded' && worker.db !== null && canonicalPath(opts.db) !== canonicalPath(worker.db)) {
    throw new CliError(`the worker at ${base} runs on ${worker.db}, not on ${resolve(opts.db)} (--db)`, 1);
  }
  if (opts.mongoDb && worker.store === 'mongodb' && worker.mongodbDb !== opts.mongoDb) {
    throw new CliError(`the worker at ${base} follows MongoDB ${worker.mongodbDb}, not ${opts.mongoDb} (--mongo-db)`, 1);
  }
}

function canonicalPath(path: string): string {
  const absolute = resolve(path);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}
