/**
 * Class-form aggregations and `get(class, …)` look-ups recorded during evaluation: their
 * de-duplication key and the answer of one that failed.
 */
import { LoadedObject } from './loaded-object.ts';

/** The answer of a request that failed: the formula that asked throws it. */
export class FailedAnswer {
  constructor(readonly message: string) {}
}

/** Stable text of a request (dates and objects included) for de-duplication. */
export function requestKey(request: unknown): string {
  return JSON.stringify(request, (_key, value: unknown) => {
    if (value instanceof LoadedObject) return { $item: `${value.cls.canonicalName}/${value.id}` };
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    return value;
  });
}

