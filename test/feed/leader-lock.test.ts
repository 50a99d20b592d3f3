/** The leader lock against the real Redis, on a random key per test. */
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LeaderLock } from '../../src/feed/leader-lock.ts';
import { REDIS_URL, keysUnder, randomPrefix } from '../queue/redis-helpers.ts';

const redis = new Redis(REDIS_URL);
const prefixes: string[] = [];
afterEach(async () => {
  for (const prefix of prefixes.splice(0)) {
    const keys = await keysUnder(prefix);
    if (keys.length > 0) await redis.del(...keys);
  }
});
afterAll(() => redis.quit());

function key(): string {
  const prefix = randomPrefix('test-lock');
  prefixes.push(prefix);
  return `${prefix}:leader`;
}

const waitFor = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
};

describe('leader lock', () => {
  it('is held by exactly one of several contenders, released only by its holder', async () => {
    const k = key();
    const locks = Array.from({ length: 5 }, (_, i) => new LeaderLock({ redis, key: k, ttlMs: 5000, owner: `w${i}` }));
    const won = await Promise.all(locks.map((lock) => lock.tryAcquire()));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = locks[won.indexOf(true)]!;
    const loser = locks[won.indexOf(false)]!;
    expect(await loser.renew()).toBe(false);
    await loser.release();
    expect(await winner.holder()).toBe(winner.owner);
    expect(await winner.renew()).toBe(true);
    await winner.release();
    expect(await winner.holder()).toBeNull();
    expect(await loser.tryAcquire()).toBe(true);
    await loser.release();
  });

  it('a dead leader (no renewal, no release) is replaced once its TTL passes', async () => {
    const k = key();
    const dead = new LeaderLock({ redis, key: k, ttlMs: 300, owner: 'dead' });
    expect(await dead.tryAcquire()).toBe(true);
    const successor = new LeaderLock({ redis, key: k, ttlMs: 300, owner: 'next' });
    const controller = new AbortController();
    const started = Date.now();
    let ledAt = 0;
    const leading = successor.lead(async (signal) => {
      ledAt = Date.now();
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    }, controller.signal);
    await waitFor(() => ledAt > 0);
    expect(ledAt - started).toBeGreaterThanOrEqual(250);
    expect(ledAt - started).toBeLessThan(2000);
    expect(await successor.holder()).toBe('next');
    controller.abort();
    await leading;
    // A clean stop hands the lock back at once.
    expect(await successor.holder()).toBeNull();
  });

  it('exactly one of two leading processes runs the task; the other takes over when it stops', async () => {
    const k = key();
    const running = new Set<string>();
    let maxTogether = 0;
    const contender = (owner: string) => {
      const lock = new LeaderLock({ redis, key: k, ttlMs: 300, owner });
      const controller = new AbortController();
      const done = lock.lead(async (signal) => {
        running.add(owner);
        maxTogether = Math.max(maxTogether, running.size);
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        running.delete(owner);
      }, controller.signal);
      return { stop: () => (controller.abort(), done) };
    };
    const a = contender('a');
    const b = contender('b');
    await waitFor(() => running.size === 1);
    await new Promise((r) => setTimeout(r, 400)); // several renewals: still one leader
    expect(running.size).toBe(1);
    const first = [...running][0];
    await (first === 'a' ? a : b).stop();
    await waitFor(() => running.size === 1 && !running.has(first!));
    expect([...running]).toEqual([first === 'a' ? 'b' : 'a']);
    expect(maxTogether).toBe(1);
    await (first === 'a' ? b : a).stop();
  });

  it('aborts the task when the lock is taken away', async () => {
    const k = key();
    const lock = new LeaderLock({ redis, key: k, ttlMs: 150, owner: 'me' });
    const controller = new AbortController();
    let aborted = false;
    let started = false;
    const leading = lock.lead(async (signal) => {
      started = true;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      aborted = !controller.signal.aborted;
    }, controller.signal);
    await waitFor(() => started);
    await redis.set(k, 'usurper', 'PX', 5000);
    await waitFor(() => aborted);
    expect(aborted).toBe(true);
    expect(await redis.get(k)).toBe('usurper'); // release did not delete someone else's lock
    controller.abort();
    await leading;
    await redis.del(k);
  });
});
