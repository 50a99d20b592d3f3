/**
 * `recalc refresh --class C --key K…`: queues a recompute of objects by key (or of a whole class
 * without `--key`) on the worker's queue, as `POST /refresh` does. With Redis configured it adds
 * to the queue in Redis; with `--url`, or with no Redis (the in-process queue lives in the
 * worker's memory), it asks the running worker's `POST /refresh` — by default at
 * `http://$RECALC_HTTP_HOST:$RECALC_HTTP_PORT`, where one started with the same environment listens.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { createRecomputeQueue, refreshKeys, refreshWholeClass, RefreshRequestError } from '../../queue/index.ts';
import { findClass } from '../../recompute/index.ts';
import { metaDirOf, openMetaOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';
import { defaultWorkerUrl, parseWorkerUrl, postRefresh } from '../worker-http.ts';

interface RefreshOptions {
  class: string;
  key?: string[];
  meta?: string;
  redisUrl?: string;
  queueName?: string;
  url?: string;
}

export function registerRefresh(program: Command, io: CliIo): void {
  program
    .command('refresh')
    .description("queue recomputes of objects by key (a whole class without --key) on the worker's queue")
    .requiredOption('--class <name>', 'class of the objects')
    .option('--key <key...>', 'object keys (a composite key: values joined by _)')
    .option('--meta <dir>', 'class meta directory, to check the class (default: $META_DIR or meta/); over HTTP the worker checks it')
    .option('--redis-url <url>', "the worker's Redis (default: $REDIS_URL)")
    .option('--queue-name <name>', "the worker's queue name (default: $RECALC_QUEUE_NAME or recalc)")
    .option('--url <url>', "ask the running worker's HTTP server (POST /refresh); the default with no Redis: http://$RECALC_HTTP_HOST:$RECALC_HTTP_PORT (127.0.0.1:9464)")
    .action(async (opts: RefreshOptions) => {
      if (opts.url && opts.redisUrl) throw new CliError('use --url (the worker over HTTP) or --redis-url (its queue in Redis), not both', 1);
      const config = loadConfig({ env: process.env, options: { ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}), ...(opts.queueName ? { queueName: opts.queueName } : {}) } });
      if (opts.url || !config.redisUrl) {
        const queued = await postRefresh(opts.url ? parseWorkerUrl(opts.url) : defaultWorkerUrl(config), opts.class, opts.key);
        io.out(queued === 'all' ? `queued a refresh of every ${opts.class} object` : `queued ${queued} ${opts.class} objects`);
        return;
      }
      const meta = openMetaOrFail(metaDirOf(opts.meta), io);
      const queue = createRecomputeQueue(config);
      const isKnownClass = (name: string) => findClass(meta.repository, name) !== undefined;
      try {
        if (opts.key && opts.key.length > 0) {
          const queued = await refreshKeys(queue, opts.class, opts.key, isKnownClass);
          io.out(`queued ${queued} ${opts.class} objects`);
        } else {
          await refreshWholeClass(queue, opts.class, isKnownClass);
          io.out(`queued a refresh of every ${opts.class} object`);
        }
      } catch (error) {
        if (error instanceof RefreshRequestError) throw new CliError(error.message, 1);
        throw error;
      } finally {
        await queue.close();
      }
    });
}
