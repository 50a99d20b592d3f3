/**
 * The benchmark's Redis: one random key prefix for the whole run, a queue of either layout under
 * it, and the clean-up that leaves nothing behind (obliterate, then every key under the prefix).
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createBatchedBullmqQueue, createBullmqQueue, type QueueObserver, type RecomputeQueue } from '../../src/queue/index.ts';

export type Layout = 'per-object' | 'batched';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh random prefix for this run. */
export function randomPrefix(): string {
  return `bench-pipeline-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

export interface QueueSetup {
  readonly prefix: string;
  readonly name: string;
  readonly layout: Layout;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly observer: QueueObserver;
}

/** The queue of one layout, as `createRecomputeQueue` builds it, plus the random prefix. */
export function createQueue(setup: QueueSetup): RecomputeQueue {
  const common = { redisUrl: REDIS_URL, prefix: setup.prefix, name: setup.name, batchSize: setup.batchSize, concurrency: setup.concurrency, observer: setup.observer };
  return setup.layout === 'batched' ? createBatchedBullmqQueue(common) : createBullmqQueue(common);
}

/** Removes one layout's queue from Redis (the queue itself must be closed first). */
export async function obliterateQueue(prefix: string, name: string, layout: Layout): Promise<void> {
  if (layout === 'batched') {
    const cleaner = createBatchedBullmqQueue({ redisUrl: REDIS_URL, prefix, name });
    try {
      await cleaner.obliterate();
    } finally {
      await cleaner.close();
    }
    return;
  }
  const cleaner = new Queue(name, { connection: { url: REDIS_URL }, prefix });
  try {
    await cleaner.obliterate({ force: true });
  } finally {
    await cleaner.close();
  }
}

/** Deletes every key left under the prefix; returns how many there were. */
export async function deleteUnder(prefix: string): Promise<number> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  } finally {
    redis.disconnect();
  }
}

/** The server's version, for the header. */
export async function redisVersion(): Promise<string> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}

/** CPU seconds the Redis server has used so far (user + system), or null when INFO does not say. */
export async function redisCpuSeconds(): Promise<number | null> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const info = await redis.info('cpu');
    const user = /used_cpu_user:([\d.]+)/.exec(info)?.[1];
    const sys = /used_cpu_sys:([\d.]+)/.exec(info)?.[1];
    return user === undefined || sys === undefined ? null : Number(user) + Number(sys);
  } finally {
    redis.disconnect();
  }
}
