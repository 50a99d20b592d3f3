/**
 * A store wrapper that adds up the wall time spent in each port method, so a benchmark can say
 * where the time goes (store reads, writes, or the engine between them). Async iterators (scan)
 * are timed per page.
 */
import type { StorePort } from '../../src/store/index.ts';

export type TimedStore = StorePort & { readonly timings: Map<string, { calls: number; ms: number }> };

export function timedStore(store: StorePort): TimedStore {
  const timings = new Map<string, { calls: number; ms: number }>();
  const add = (name: string, ms: number): void => {
    const t = timings.get(name) ?? { calls: 0, ms: 0 };
    t.calls++;
    t.ms += ms;
    timings.set(name, t);
  };
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'timings') return timings;
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = String(name);
      if (method === 'scan') {
        return async function* (...args: unknown[]) {
          const pages = (value as (...a: unknown[]) => AsyncIterable<unknown>).apply(target, args)[Symbol.asyncIterator]();
          for (;;) {
            const start = performance.now();
            const next = await pages.next();
            add('scan', performance.now() - start);
            if (next.done) return;
            yield next.value;
          }
        };
      }
      return async (...args: unknown[]) => {
        const start = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          add(method, performance.now() - start);
        }
      };
    },
  });
  return proxy as TimedStore;
}
