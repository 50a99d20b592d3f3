/**
 * Leader election among worker processes: exactly one listens to the change stream. The leader
 * holds a Redis key (`SET key owner NX PX ttl`) and renews it; when the leader dies its key
 * expires after the TTL and another process takes it. Renewal and release are compare-and-set
 * scripts, so a process that lost the key never extends or deletes someone else's.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { silentLogger } from '../log/logger.ts';
import { sleep } from './sleep.ts';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Options of {@link LeaderLock}. */
export interface LeaderLockOptions {
  readonly redis: Redis;
  /** The lock's key (e.g. `recalc:feed:<db>:leader`). */
  readonly key: string;
  /** How long the lock lives without renewal, in ms (default 15000): the take-over delay after a crash. */
  readonly ttlMs?: number;
  /** This process's identity in the lock (default a random UUID). */
  readonly owner?: string;
  readonly logger?: Logger;
}

/** A Redis lock with a TTL. */
export class LeaderLock {
  readonly owner: string;
  readonly ttlMs: number;
  private readonly log: Logger;

  constructor(private readonly options: LeaderLockOptions) {
    this.owner = options.owner ?? randomUUID();
    this.ttlMs = options.ttlMs ?? 15_000;
    this.log = options.logger ?? silentLogger;
  }

  /** Takes the lock if it is free; true when this process now holds it. */
  async tryAcquire(): Promise<boolean> {
    const answer = await this.options.redis.set(this.options.key, this.owner, 'PX', this.ttlMs, 'NX');
    return answer === 'OK';
  }

  /** Extends the lock; false when this process no longer holds it. */
  async renew(): Promise<boolean> {
    const answer = await this.options.redis.eval(RENEW, 1, this.options.key, this.owner, String(this.ttlMs));
    return answer === 1;
  }

  /** Releases the lock if this process holds it (a clean shutdown hands over at once). */
  async release(): Promise<void> {
    await this.options.redis.eval(RELEASE, 1, this.options.key, this.owner);
  }

  /** Who holds the lock now (`null`: nobody). */
  holder(): Promise<string | null> {
    return this.options.redis.get(this.options.key);
  }

  /**
   * Runs `task` whenever this process is the leader, until `signal` aborts. The task's signal
   * aborts when the lock is lost (renewal refused, or not confirmed within the TTL); the task
   * must then stop. Between tries, and after losing the lock, it waits a third of the TTL.
   */
  async lead(task: (signal: AbortSignal) => Promise<void>, signal: AbortSignal): Promise<void> {
    const pause = Math.max(10, Math.floor(this.ttlMs / 3));
    while (!signal.aborted) {
      let acquired = false;
      try {
        acquired = await this.tryAcquire();
      } catch (error) {
        this.log.warn({ err: error }, 'leader lock: cannot reach Redis');
      }
      if (acquired) {
        this.log.info({ owner: this.owner }, 'leader lock acquired');
        await this.holdWhile(task, signal, pause);
        this.log.info({ owner: this.owner }, 'leader lock released');
      }
      if (!signal.aborted) await sleep(pause, signal);
    }
  }

  private async holdWhile(task: (signal: AbortSignal) => Promise<void>, outer: AbortSignal, renewEvery: number): Promise<void> {
    const lost = new AbortController();
    let confirmedAt = Date.now();
    const timer = setInterval(() => {
      this.renew().then(
        (held) => {
          if (held) confirmedAt = Date.now();
          else lost.abort(new Error('leader lock lost'));
        },
        (error: unknown) => {
          // Unconfirmed for a whole TTL: someone else may hold it now.
          this.log.warn({ err: error }, 'leader lock: renewal failed');
          if (Date.now() - confirmedAt >= this.ttlMs) lost.abort(new Error('leader lock expired'));
        },
      );
    }, renewEvery);
    try {
      await task(AbortSignal.any([outer, lost.signal]));
    } catch (error) {
      this.log.error({ err: error }, 'leader task failed');
    } finally {
      clearInterval(timer);
      await this.release().catch(() => undefined);
    }
  }
}
