/**
 * Where a feed remembers how far it got: the embedded feed's journal sequence (in the store,
 * next to the journal) or the change stream's resume token (in Redis, next to the queue whose
 * jobs it stands for). Either way the value is saved only after the jobs up to it are queued.
 */
import type { Redis } from 'ioredis';
import type { StorePort } from '../store/port.ts';

/** A durable single-value checkpoint. */
export interface CheckpointStore {
  /** The saved value, `null` when none (or cleared). */
  load(): Promise<string | null>;
  /** Replaces the saved value. */
  save(value: string): Promise<void>;
  /** Forgets the value (the next start reconciles). */
  clear(): Promise<void>;
}

/** A journal feed's checkpoint as a sequence number; `null` when the text is not one (a resume token, say). */
export function journalPosition(value: string): number | null {
  if (!/^\d+$/.test(value)) return null;
  const position = Number(value);
  return Number.isSafeInteger(position) ? position : null;
}

/** A checkpoint kept by the store's checkpoint API under `name`. */
export function storeCheckpoint(store: Pick<StorePort, 'getCheckpoint' | 'setCheckpoint'>, name: string): CheckpointStore {
  return {
    async load() {
      const value = await store.getCheckpoint(name);
      // The port has no delete: an empty string is "cleared".
      return value === null || value === '' ? null : value;
    },
    save: (value) => store.setCheckpoint(name, value),
    clear: () => store.setCheckpoint(name, ''),
  };
}

/** A checkpoint kept in Redis under `key` (on the queue's server, which must not evict keys). */
export function redisCheckpoint(redis: Redis, key: string): CheckpointStore {
  return {
    load: () => redis.get(key),
    async save(value) {
      await redis.set(key, value);
    },
    async clear() {
      await redis.del(key);
    },
  };
}
