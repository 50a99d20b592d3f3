/**
 * Start-up checks that need the servers: are they reachable, and is the queue's Redis safe for
 * a queue. A worker that cannot reach its servers stops with one clear message instead of
 * retrying in the background forever.
 */
import { Redis } from 'ioredis';
import { MongoClient } from 'mongodb';
import { ConfigError } from './config-error.ts';
import type { WorkerConfig } from './worker-config.ts';

/** What the checks found that is worth a warning but not a refusal. */
export interface ConnectionReport {
  readonly warnings: readonly string[];
}

/**
 * Pings every configured server. @throws ConfigError naming each unreachable server and the
 * variable that configures it.
 */
export async function checkConnections(config: WorkerConfig, options: { readonly timeoutMs?: number } = {}): Promise<ConnectionReport> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const problems: string[] = [];
  const warnings: string[] = [];
  const checks: Promise<void>[] = [];
  if (config.redisUrl) {
    checks.push(
      pingRedis(config.redisUrl, timeoutMs).then(
        (policy) => {
          if (policy !== null && policy !== 'noeviction') {
            warnings.push(`the queue's Redis evicts keys (maxmemory-policy ${policy}): jobs may be lost; set it to noeviction`);
          }
        },
        (error: Error) => void problems.push(`cannot reach Redis at ${redact(config.redisUrl!)} (REDIS_URL): ${error.message}`),
      ),
    );
  }
  if (config.cacheRedisUrl && config.cacheRedisUrl !== config.redisUrl) {
    checks.push(
      pingRedis(config.cacheRedisUrl, timeoutMs).then(
        () => undefined,
        (error: Error) => void problems.push(`cannot reach Redis at ${redact(config.cacheRedisUrl!)} (CACHE_REDIS_URL): ${error.message}`),
      ),
    );
  }
  if (config.mongodbUrl) {
    checks.push(
      pingMongo(config.mongodbUrl, config.mongodbDb ?? 'admin', timeoutMs).catch(
        (error: Error) => void problems.push(`cannot reach MongoDB at ${redact(config.mongodbUrl!)} (MONGODB_URL): ${error.message}`),
      ),
    );
  }
  await Promise.all(checks);
  if (problems.length > 0) throw new ConfigError(problems);
  return { warnings };
}

/** Every class named by a schedule must exist. @throws ConfigError */
export function checkScheduleClasses(config: WorkerConfig, knownClasses: ReadonlySet<string>): void {
  const problems: string[] = [];
  for (const schedule of config.schedules) {
    for (const className of schedule.classes) {
      if (!knownClasses.has(className)) problems.push(`schedule ${JSON.stringify(schedule.name)}: unknown class ${JSON.stringify(className)}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** Pings Redis; returns its eviction policy (`null` when the server does not say). */
async function pingRedis(url: string, timeoutMs: number): Promise<string | null> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // reported through the rejected connect
  try {
    await redis.connect();
    await redis.ping();
    try {
      const answer = (await redis.config('GET', 'maxmemory-policy')) as string[];
      return answer[1] ?? null;
    } catch {
      return null; // CONFIG is often disabled on managed servers
    }
  } finally {
    redis.disconnect();
  }
}

async function pingMongo(url: string, db: string, timeoutMs: number): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  try {
    await client.connect();
    await client.db(db).command({ ping: 1 });
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
