/**
 * Every configuration field: its environment variable, its command-line flag, its default and
 * what it means. This one table drives parsing, the rejection of unknown keys, the flags the CLI
 * declares and the table in docs/worker.md.
 */
import { LOG_LEVELS, type WorkerConfig } from './worker-config.ts';

/** How a field's text is read. */
export type FieldKind = 'mongodb-url' | 'redis-url' | 'string' | 'int' | 'bool' | 'schedules' | 'log-level' | 'queue-jobs';

/** One configuration field. */
export interface FieldSpec {
  /** The key in {@link WorkerConfig} (and in a programmatic options object). */
  readonly key: keyof WorkerConfig;
  /** The environment variable. */
  readonly env: string;
  /** The command-line flag (without `--`). */
  readonly flag: string;
  readonly kind: FieldKind;
  /** Bounds of an `int`. */
  readonly min?: number;
  readonly max?: number;
  /** The default, as the docs show it. */
  readonly shownDefault: string;
  /** What it means. */
  readonly doc: string;
}

/** The fields, in the order of the documentation. */
export const CONFIG_FIELDS: readonly FieldSpec[] = [
  { key: 'mongodbUrl', env: 'MONGODB_URL', flag: 'mongodb-url', kind: 'mongodb-url', shownDefault: '(none: embedded store)', doc: 'MongoDB connection string (`mongodb://` or `mongodb+srv://`). Change streams need a replica set. Unset: the embedded store is used.' },
  { key: 'mongodbDb', env: 'MONGODB_DB', flag: 'mongodb-db', kind: 'string', shownDefault: '(the database of the URL)', doc: 'The database holding the class collections; required when the URL names none.' },
  { key: 'redisUrl', env: 'REDIS_URL', flag: 'redis-url', kind: 'redis-url', shownDefault: '(none: in-process queue)', doc: 'Redis of the queue, the resume token and the leader lock (`redis://` or `rediss://`); it must not evict keys (`maxmemory-policy noeviction`). Unset: the in-process queue is used.' },
  { key: 'cacheRedisUrl', env: 'CACHE_REDIS_URL', flag: 'cache-redis-url', kind: 'redis-url', shownDefault: '`REDIS_URL`', doc: 'Redis of the read cache; may evict. Defaults to the queue\'s server.' },
  { key: 'metaDir', env: 'META_DIR', flag: 'meta', kind: 'string', shownDefault: '`meta`', doc: 'Directory of the class meta files.' },
  { key: 'embeddedDb', env: 'EMBEDDED_DB', flag: 'db', kind: 'string', shownDefault: '`recalc.db`', doc: 'The embedded store file (used when `MONGODB_URL` is unset); `:memory:` for a private in-memory store.' },
  { key: 'concurrency', env: 'RECALC_CONCURRENCY', flag: 'concurrency', kind: 'int', min: 1, max: 256, shownDefault: '4', doc: 'Batches recomputed at once by this process.' },
  { key: 'batchSize', env: 'RECALC_BATCH_SIZE', flag: 'batch-size', kind: 'int', min: 1, max: 10_000, shownDefault: '100', doc: 'Most objects per recompute batch.' },
  { key: 'attempts', env: 'RECALC_ATTEMPTS', flag: 'attempts', kind: 'int', min: 1, max: 100, shownDefault: '5', doc: 'Attempts of a job before it is kept failed (errors that cannot heal fail at once).' },
  { key: 'backoffMs', env: 'RECALC_BACKOFF_MS', flag: 'backoff-ms', kind: 'int', min: 1, max: 3_600_000, shownDefault: '1000', doc: 'First retry delay in ms; doubled on each further attempt.' },
  { key: 'schedules', env: 'RECALC_SCHEDULES', flag: 'schedule', kind: 'schedules', shownDefault: '(none)', doc: 'Cron refreshes of whole classes: `0 3 * * * => Office, Letter` (`;` between several; the flag may repeat) or JSON `[{"name","cron","classes","tz"}]`. Cron in UTC unless `tz` says otherwise.' },
  { key: 'queueName', env: 'RECALC_QUEUE_NAME', flag: 'queue-name', kind: 'string', shownDefault: '`recalc`', doc: 'BullMQ queue name (also the prefix of the feed\'s Redis keys).' },
  { key: 'queueJobs', env: 'RECALC_QUEUE_JOBS', flag: 'queue-jobs', kind: 'queue-jobs', shownDefault: '`batched`', doc: '`batched`: objects kept in Redis structures of their own and carried in batches by a few BullMQ jobs — several times the throughput of one job per object (the only layout that reaches the throughput target); failed objects are listed by `recalc status`, the dashboard shows the carrier jobs. `per-object`: one BullMQ job per object (each visible in the dashboard, failed ones kept as failed jobs), capped by BullMQ\'s per-job cost (~3 Redis scripts per object).' },
  { key: 'lockDurationMs', env: 'RECALC_LOCK_DURATION_MS', flag: 'lock-duration-ms', kind: 'int', min: 1000, max: 3_600_000, shownDefault: '30000', doc: 'BullMQ: how long a worker\'s lock on a running job lasts without renewal (renewed every half of it). A killed worker\'s jobs are taken over after at most this plus `RECALC_STALLED_INTERVAL_MS` (the batched layout also sweeps dead leases this often). Keep it well above the longest a batch can block the event loop, or running jobs are taken for stalled. Ignored by the in-process queue.' },
  { key: 'stalledIntervalMs', env: 'RECALC_STALLED_INTERVAL_MS', flag: 'stalled-interval-ms', kind: 'int', min: 500, max: 3_600_000, shownDefault: '15000', doc: 'BullMQ: how often each worker looks for stalled jobs (whose worker died). Ignored by the in-process queue.' },
  { key: 'preImages', env: 'RECALC_PRE_IMAGES', flag: 'pre-images', kind: 'bool', shownDefault: '`false`', doc: 'Ask MongoDB for pre-images (old link values); enable `changeStreamPreAndPostImages` on the collections first.' },
  { key: 'leaderTtlMs', env: 'RECALC_LEADER_TTL_MS', flag: 'leader-ttl-ms', kind: 'int', min: 1000, max: 600_000, shownDefault: '15000', doc: 'TTL of the change-stream leader lock: how soon another worker takes over from a dead one.' },
  { key: 'httpHost', env: 'RECALC_HTTP_HOST', flag: 'http-host', kind: 'string', shownDefault: '`127.0.0.1`', doc: 'Address of the HTTP server (health, metrics, dashboard, refresh).' },
  { key: 'httpPort', env: 'RECALC_HTTP_PORT', flag: 'http-port', kind: 'int', min: 0, max: 65_535, shownDefault: '9464', doc: 'Port of the HTTP server; `0` turns it off.' },
  { key: 'logLevel', env: 'RECALC_LOG_LEVEL', flag: 'log-level', kind: 'log-level', shownDefault: '`info`', doc: `Log level: ${LOG_LEVELS.join(', ')}.` },
];

/** The defaults. */
export const CONFIG_DEFAULTS: WorkerConfig = Object.freeze({
  mongodbUrl: null,
  mongodbDb: null,
  redisUrl: null,
  cacheRedisUrl: null,
  metaDir: 'meta',
  embeddedDb: 'recalc.db',
  concurrency: 4,
  batchSize: 100,
  attempts: 5,
  backoffMs: 1000,
  schedules: [],
  queueName: 'recalc',
  queueJobs: 'batched',
  lockDurationMs: 30_000,
  stalledIntervalMs: 15_000,
  preImages: false,
  leaderTtlMs: 15_000,
  httpHost: '127.0.0.1',
  httpPort: 9464,
  logLevel: 'info',
});

/** The documentation table (Markdown), generated from {@link CONFIG_FIELDS}. */
export function configTable(): string {
  const rows = CONFIG_FIELDS.map((f) => `| \`${f.env}\` | \`--${f.flag}\` | ${f.shownDefault} | ${f.doc} |`);
  return ['| variable | flag | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
