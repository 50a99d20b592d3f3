/**
 * Wires a worker from its configuration: meta → store → recompute context → queue → feed →
 * metrics → HTTP. The embedded store is used when no MongoDB is configured, the in-process queue
 * when no Redis is; the engine is the same either way. `stop()` shuts down in the order the
 * checkpoint rule needs (docs/worker.md, "Shutdown"): feed first (so nothing new is queued and
 * the last delivered batch is checkpointed), then the queue (running batches finish and their
 * cascades are queued), then HTTP, connections and the store.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import type { Logger } from 'pino';
import { checkConnections, checkScheduleClasses, ConfigError, storeMode, type WorkerConfig } from '../config/index.ts';
import { createJournalFeed, createMongoFeed, identifyByKeys, LeaderLock, redisCheckpoint, storeCheckpoint, type CheckpointStore, type FeedSink } from '../feed/index.ts';
import { createHttpApp, createMetrics, startHttpServer, type RunningHttpServer, type WorkerMetrics } from '../http/index.ts';
import { componentLogger, createLogger } from '../log/logger.ts';
import { formatMetaDiagnostic, hasErrors, openMeta, type MetaModel } from '../meta/index.ts';
import { BatchedBullmqQueue, BullmqRecomputeQueue, createRecomputeQueue, type RecomputeQueue } from '../queue/index.ts';
import { createRecomputeContext, findClass, hasTargets } from '../recompute/index.ts';
import { EmbeddedStore, openEmbeddedStore, openMongoStore } from '../store/index.ts';
import type { StorePort } from '../store/port.ts';
import { changeRouter, classPager, computedFields, recomputeProcessor } from './engine-adapters.ts';

/**
 * WAL pages between checkpoints for a live worker: small enough that a checkpoint does not stall
 * the application and the worker for long (the pipeline benchmark measured p99 75–79 ms at 4,000
 * pages against 219–258 ms at the bulk default).
 */
export const LIVE_WAL_AUTOCHECKPOINT = 4_000;

/** What {@link startWorker} takes besides the configuration. */
export interface StartWorkerOptions {
  /** The root logger (default: pino on stdout at the configured level). */
  readonly logger?: Logger;
  /** Ping the configured servers first (default true). */
  readonly checkConnections?: boolean;
  /** How often the journal feed polls an idle journal, ms (default `DEFAULT_JOURNAL_POLL_MS`, 10). */
  readonly journalPollMs?: number;
}

/** A started worker. */
export interface RunningWorker {
  readonly config: WorkerConfig;
  readonly meta: MetaModel;
  readonly store: StorePort;
  readonly queue: RecomputeQueue;
  readonly metrics: WorkerMetrics;
  /** The HTTP server, `null` when `httpPort` is 0. */
  readonly http: RunningHttpServer | null;
  /** Settles when the feed stops: resolves after {@link stop}, rejects when the feed fails for good. */
  readonly feed: Promise<void>;
  /** Graceful shutdown (idempotent): feed, queue, HTTP, connections, store. */
  stop(): Promise<void>;
}

/** Loads the meta; an invalid or missing meta is a configuration error (one clear message). */
function loadMeta(dir: string): MetaModel {
  if (!existsSync(dir)) throw new ConfigError([`META_DIR: meta directory not found: ${dir}`]);
  const meta = openMeta(dir);
  if (hasErrors(meta.diagnostics)) {
    const errors = meta.diagnostics.filter((d) => d.severity === 'error').map((d) => formatMetaDiagnostic(d));
    throw new ConfigError([`META_DIR: invalid meta in ${dir} (run recalc check --meta ${dir}):\n  ${errors.join('\n  ')}`]);
  }
  return meta;
}

/**
 * The classes a reconcile refreshes: the root classes (a refresh pages through descendants too)
 * that hold cached values themselves or in a descendant.
 */
export function reconcileClasses(meta: MetaModel): string[] {
  const repo = meta.repository;
  const all = [...repo.classes.values()];
  const roots = all.filter((cls) => !all.some((other) => other !== cls && repo.isA(cls.canonicalName, other.canonicalName)));
  return roots.filter((root) => all.some((cls) => repo.isA(cls.canonicalName, root.canonicalName) && hasTargets(cls))).map((cls) => cls.canonicalName);
}

/** The Bull Board queues of a BullMQ queue (none for the in-process queue). */
function dashboardQueuesOf(queue: RecomputeQueue) {
  if (queue instanceof BatchedBullmqQueue) return [queue.queue, queue.carriers];
  if (queue instanceof BullmqRecomputeQueue) return [queue.queue];
  return [];
}

/**
 * Starts a worker. Bad configuration — unreachable servers, unknown classes in schedules, invalid
 * meta — throws a {@link ConfigError} before anything is started.
 */
export async function startWorker(config: WorkerConfig, options: StartWorkerOptions = {}): Promise<RunningWorker> {
  const log = options.logger ?? createLogger({ level: config.logLevel });
  if (options.checkConnections ?? true) {
    const { warnings } = await checkConnections(config);
    for (const warning of warnings) log.warn(warning);
  }
  const meta = loadMeta(config.metaDir);
  // Schedules may name classes as the rest of the tools accept them (`product` or `product@demo`).
  const scheduled = new Set(config.schedules.flatMap((schedule) => schedule.classes));
  checkScheduleClasses(config, new Set([...scheduled].filter((name) => findClass(meta.repository, name) !== undefined)));
  const mode = storeMode(config);
  if (mode === 'mongodb' && !config.redisUrl) {
    throw new ConfigError(['MONGODB_URL needs REDIS_URL: the change stream keeps its resume token and leader lock in Redis']);
  }

  // Everything opened is closed by `shutdown`, in this order, also when start-up fails half-way.
  const stages: Record<'feed' | 'queue' | 'http' | 'connections' | 'store', (() => Promise<unknown>)[]> = {
    feed: [], queue: [], http: [], connections: [], store: [],
  };
  const shutdown = async () => {
    for (const stage of ['feed', 'queue', 'http', 'connections', 'store'] as const) {
      for (const close of stages[stage].splice(0)) {
        await close().catch((error: unknown) => log.warn({ err: error, stage }, 'error while closing'));
      }
    }
  };
  try {
    const store: StorePort =
      mode === 'embedded'
        ? openEmbeddedStore({ path: config.embeddedDb, walAutocheckpointPages: LIVE_WAL_AUTOCHECKPOINT })
        : await openMongoStore({ url: config.mongodbUrl!, database: config.mongodbDb! });
    stages.store.push(() => store.close());
    const ctx = createRecomputeContext(meta, store, {
      batchSize: config.batchSize,
      // A long-running worker must not keep every value it ever changed.
      keepChanges: false,
      hooks: { onWarning: (w) => log.debug({ component: 'recompute', class: w.class, id: w.id, attribute: w.attribute }, w.message) },
    });

    const metrics = createMetrics();
    const queue = createRecomputeQueue({
      redisUrl: config.redisUrl,
      queueName: config.queueName,
      queueJobs: config.queueJobs,
      batchSize: config.batchSize,
      concurrency: config.concurrency,
      attempts: config.attempts,
      backoffMs: config.backoffMs,
      lockDurationMs: config.lockDurationMs,
      stalledIntervalMs: config.stalledIntervalMs,
      observer: metrics.queueObserver,
      logger: componentLogger(log, 'queue'),
    });
    stages.queue.push(() => queue.close());
    await queue.start({ recompute: recomputeProcessor(ctx), pageClass: classPager(ctx) });
    await queue.setSchedules(config.schedules);

    const reconciled = reconcileClasses(meta);
    const refreshAll = async () => {
      for (const className of reconciled) await queue.refreshClass(className, 'reconcile');
    };
    const feedLog = componentLogger(log, 'feed');
    const sink: FeedSink = {
      queue,
      route: changeRouter(ctx, {
        oldValuesKnown: mode === 'embedded' || config.preImages,
        onUnidentified: async (changes) => {
          feedLog.warn({ changes: changes.length }, 'changes without an object id (delete without pre-image): refreshing every class');
          await refreshAll();
        },
      }),
      reconcile: async (reason) => {
        feedLog.warn({ reason: reason.kind, classes: reconciled }, 'reconciling: refreshing every class with cached values');
        await refreshAll();
      },
      observer: metrics.feedObserver,
      logger: feedLog,
    };
    const computed = computedFields(meta);

    const abort = new AbortController();
    let feed: Promise<void>;
    // Where `GET /status` reads the feed's position: the checkpoint the running feed saves.
    let checkpoint: CheckpointStore;
    if (mode === 'embedded') {
      // No `computed` here: the journal marks our own writes itself (`record.computed`), so an
      // application that overwrites a cached value is seen and the value recomputed. (MongoDB has
      // no such mark: there, an event touching only cached fields is taken for our own write.)
      const journal = createJournalFeed({ store, sink, pollMs: options.journalPollMs, logger: feedLog });
      checkpoint = storeCheckpoint(store, 'feed');
      if (config.redisUrl) {
        // Several processes may share one store file: one reads the journal, all run jobs.
        const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, connectionName: `${config.queueName}:leader` });
        // ioredis reconnects by itself; the lock logs what it could not do.
        redis.on('error', (error: Error) => feedLog.debug({ err: error }, 'leader lock connection error'));
        stages.connections.push(async () => redis.disconnect());
        const lock = new LeaderLock({ redis, key: `${config.queueName}:feed:embedded:leader`, ttlMs: config.leaderTtlMs, logger: feedLog });
        feed = lock.lead((signal) => journal.run(signal), abort.signal);
      } else {
        feed = journal.run(abort.signal);
      }
    } else {
      const client = await MongoClient.connect(config.mongodbUrl!);
      stages.connections.push(() => client.close());
      const redis = new Redis(config.redisUrl!, { maxRetriesPerRequest: null, connectionName: `${config.queueName}:feed` });
      redis.on('error', (error: Error) => feedLog.debug({ err: error }, 'feed Redis connection error'));
      stages.connections.push(async () => redis.disconnect());
      checkpoint = redisCheckpoint(redis, `${config.queueName}:feed:${config.mongodbDb!}:token`);
      const repo = meta.repository;
      const collections = [...new Set([...repo.classes.values()].map((cls) => cls.storage.collection))];
      feed = createMongoFeed({
        db: client.db(config.mongodbDb!),
        collections,
        preImages: config.preImages,
        redis,
        keyPrefix: config.queueName,
        identify: identifyByKeys((className) => repo.find(className)?.key),
        computed,
        sink,
        leaderTtlMs: config.leaderTtlMs,
        logger: feedLog,
      }).run(abort.signal);
    }
    // Stop the feed first on shutdown; a failed feed is reported through `feed`, not unhandled.
    stages.feed.push(async () => {
      abort.abort();
      await feed.catch(() => undefined);
    });
    feed.catch((error: unknown) => feedLog.error({ err: error }, 'the change feed stopped'));

    metrics.setSources({ counts: () => queue.counts(), ...(mode === 'embedded' ? { feedHead: () => store.headSequence() } : {}) });
    let http: RunningHttpServer | null = null;
    if (config.httpPort !== 0) {
      const app = createHttpApp({
        metrics,
        health: {
          queue: async () => ({ ok: true, detail: await queue.counts() }),
          ...(mode === 'embedded' ? { store: async () => ({ ok: true, detail: { head: await store.headSequence() } }) } : {}),
        },
        dashboardQueues: dashboardQueuesOf(queue),
        refresh: { queue, isKnownClass: (className) => findClass(meta.repository, className) !== undefined },
        status: {
          sources: { checkpoint, queue, ...(store instanceof EmbeddedStore ? { head: () => store.headSequence(), oldest: () => store.oldestChange() } : {}) },
          worker: {
            queue: queue.kind,
            store: mode,
            db: mode === 'embedded' && config.embeddedDb !== ':memory:' ? resolve(config.embeddedDb) : null,
            mongodbDb: mode === 'mongodb' ? config.mongodbDb : null,
            queueName: config.queueName,
          },
        },
        logger: componentLogger(log, 'http'),
      });
      const server = await startHttpServer(app, { host: config.httpHost, port: config.httpPort });
      http = server;
      // Closed after the queue: /health and /metrics answer while the last jobs finish.
      stages.http.push(() => server.close());
    }
    log.info({ store: mode, queue: queue.kind, queueName: config.queueName, http: http?.url ?? null }, 'worker started');

    let stopping: Promise<void> | null = null;
    return {
      config, meta, store, queue, metrics, http, feed,
      stop: () => {
        stopping ??= (async () => {
          log.info('worker stopping: feed, queue, http, store');
          await shutdown();
          log.info('worker stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await shutdown();
    throw error;
  }
}
