/**
 * Real-Redis test isolation: a random key prefix per test, and a check that nothing is left
 * under it afterwards (CI shares the server).
 */
import { Redis } from 'ioredis';

/** The Redis of the tests. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A fresh random prefix, e.g. `test-k3j2…`. */
export function randomPrefix(label = 'test'): string {
  return `${label}-${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}`;
}

/** The keys under a prefix. */
export async function keysUnder(prefix: string): Promise<string[]> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  try {
    await redis.connect();
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/** Deletes every key under a prefix (the last resort after obliterate). */
export async function deleteUnder(prefix: string): Promise<void> {
  const keys = await keysUnder(prefix);
  if (keys.length === 0) return;
  const redis = new Redis(REDIS_URL);
  try {
    await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
