/**
 * A store wrapper that reports every recompute write (`bulkSet`) when it has committed: the
 * "value written" end of the latency measurement.
 */
import type { BulkUpdate, StorePort } from '../../src/store/index.ts';

/** Called after a `bulkSet` returned, with `performance.now()` at that moment. */
export type WriteListener = (collection: string, updates: readonly BulkUpdate[], at: number) => void;

/** `store` with `bulkSet` reporting to `listener`; every other method is the store's own. */
export function watchWrites(store: StorePort, listener: WriteListener): StorePort {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'bulkSet') {
        return async (collection: string, updates: readonly BulkUpdate[], options?: Parameters<StorePort['bulkSet']>[2]) => {
          const written = await target.bulkSet(collection, updates, options);
          listener(collection, updates, performance.now());
          return written;
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
