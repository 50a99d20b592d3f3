/**
 * Creating the indexes the reverse lookups need, on any store. This is what `recalc init-indexes`
 * runs; no store creates lookup indexes on its own.
 */
import type { StorePort } from './port.ts';

/** One index to create: a field of a collection, `array` for id-array collection fields. */
export interface IndexRequest {
  readonly collection: string;
  readonly field: string;
  readonly array?: boolean;
}

/** Creates every requested index (idempotent), one after the other in the given order. */
export async function createLookupIndexes(store: StorePort, requests: readonly IndexRequest[]): Promise<void> {
  for (const { collection, field, array } of requests) {
    await store.ensureIndex(collection, field, array ? { array } : {});
  }
}
