/**
 * `recalc refresh --class C --key K…`: queues a recompute of objects by key (or of a whole class
 * without `--key`) on the worker's queue, as `POST /refresh` does.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../config/index.ts';
import { createRecomputeQueue, refreshKeys, refreshWholeClass, RefreshRequestError } from '../../queue/index.ts';
import { findClass } from '../../recompute/index.ts';
import { metaDirOf, openMetaOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';

export function registerRefresh(program: Command, io: CliIo): void {
  program
    .command('refresh')
    .description("queue recomputes of objects by key (a whole class without --key) on the worker's queue")
    .requiredOption('--class <name>', 'class of the objects')
    .option('--key <key...>', 'object keys (a composite key: values joined by _)')
    .option('--meta <dir>', 'class meta directory (default: $META_DIR or meta/)')
    .option('--redis-url <url>', "the worker's Redis (default: $REDIS_URL)")
    .option('--queue-name <name>', "the worker's queue name (default: $RECALC_QUEUE_NAME or recalc)")
    .action(async (opts: { class: string; key?: string[]; meta?: string; redisUrl?: string; queueName?: string }) => {
      const meta = openMetaOrFail(metaDirOf(opts.meta), io);
      const config = loadConfig({ env: process.env, options: { ...(opts.redisUrl ? { redisUrl: opts.redisUrl } : {}), ...(opts.queueName ? { queueName: opts.queueName } : {}) } });
      // The in-process queue lives in the worker's memory: there is nothing to queue into from here.
      if (!config.redisUrl) throw new CliError('recalc refresh needs the worker\'s Redis: --redis-url or REDIS_URL (with no Redis, POST /refresh to the worker)', 1);
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
