/**
 * A store wrapper for the worker's side of the benchmark: it reports every recompute write
 * (`bulkSet`) when it has committed — the "value written" end of the latency measurement — and
 * keeps the calls that took long (the store is synchronous SQLite under the hood: a slow call
 * blocks the worker's event loop, a lock wait included).
 */
import type { BulkUpdate, StorePort } from '../../src/store/index.ts';

/** Called after a `bulkSet` returned, with `performance.now()` at that moment. */
export type WriteListener = (collection: string, updates: readonly BulkUpdate[], at: number) => void;

/** Store calls that took at least {@link SLOW_CALL_MS}, by method. */
export type SlowCalls = Map<string, { count: number; maxMs: number }>;

export const SLOW_CALL_MS = 40;

export type WatchedStore = StorePort & { readonly slowCalls: SlowCalls };

/** `store` with `bulkSet` reporting to `listener` and slow calls counted; otherwise the store's own. */
export function watchWrites(store: StorePort, listener: WriteListener): WatchedStore {
  const slowCalls: SlowCalls = new Map();
  const timed = (method: string, started: number): void => {
    const ms = performance.now() - started;
    if (ms < SLOW_CALL_MS) return;
    const entry = slowCalls.get(method) ?? { count: 0, maxMs: 0 };
    entry.count += 1;
    entry.maxMs = Math.max(entry.maxMs, ms);
    slowCalls.set(method, entry);
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'slowCalls') return slowCalls;
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      const method = String(property);
      if (method === 'scan' || method === 'close') return (value as (...args: unknown[]) => unknown).bind(target);
      return async (...args: unknown[]) => {
        const started = performance.now();
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        timed(method, started);
        if (method === 'bulkSet') listener(args[0] as string, args[1] as readonly BulkUpdate[], performance.now());
        return result;
      };
    },
  }) as WatchedStore;
}
