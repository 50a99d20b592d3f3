/**
 * A store wrapper that counts the calls made through it, per method: how tests and benchmarks
 * check that loading is batched (one query per hop, not one per object).
 */
import type { StorePort } from './port.ts';

/** The methods counted. */
export type StoreMethod = Exclude<keyof StorePort, 'close'>;

/** A counted view of a store. */
export interface CountingStore {
  /** The wrapped store; use it in place of the original. */
  readonly store: StorePort;
  /** Calls per method since the last reset. */
  readonly counts: Readonly<Partial<Record<StoreMethod, number>>>;
  /** Calls of the read methods (lookups, filters, aggregations, scans) since the last reset. */
  reads(): number;
  /** Sets every count back to zero. */
  reset(): void;
}

const READS: readonly StoreMethod[] = ['findByField', 'findByArrayMember', 'findByFilter', 'aggregate', 'scan'];

/** Wraps `store` so that every call is counted; behaviour is unchanged. */
export function countingStore(store: StorePort): CountingStore {
  const counts: Partial<Record<StoreMethod, number>> = {};
  const wrapped = new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (property !== 'close') counts[property as StoreMethod] = (counts[property as StoreMethod] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    store: wrapped,
    counts,
    reads: () => READS.reduce((total, method) => total + (counts[method] ?? 0), 0),
    reset: () => {
      for (const key of Object.keys(counts)) delete counts[key as StoreMethod];
    },
  };
}
