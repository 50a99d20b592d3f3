/**
 * Class-form aggregation over documents already matched, with MongoDB `$group` semantics (see
 * `AggregateResult` in the port). Used by the embedded store; MongoDB computes the same server-side.
 */
import { StoreUsageError } from './errors.ts';
import { AGGREGATE_FUNCTIONS, type AggregateFunction, type AggregateResult, type StoredDocument, type StoredValue } from './port.ts';
import { compareValues, kindOf, toNumber } from './values.ts';

/** Throws unless `fn` is a known aggregation function. */
export function checkAggregateFunction(fn: string): AggregateFunction {
  if (!AGGREGATE_FUNCTIONS.includes(fn as AggregateFunction)) {
    throw new StoreUsageError(`unknown aggregation function ${JSON.stringify(fn)}`);
  }
  return fn as AggregateFunction;
}

function isPresent(value: StoredValue): boolean {
  return value !== null && value !== undefined;
}

/** Aggregates `field` over `docs` (in storage order); `null` when `docs` is empty, like a `$group` with no input. */
export function accumulate(docs: readonly StoredDocument[], fn: AggregateFunction, field: string): AggregateResult | null {
  if (docs.length === 0) return null;
  const values = docs.map((doc) => doc[field]);
  const numbers = () => values.filter((v) => kindOf(v) === 'number').map(toNumber);
  const extreme = (sign: 1 | -1): StoredValue => {
    let best: StoredValue = null;
    for (const v of values) {
      if (isPresent(v) && (best === null || sign * compareValues(v, best) > 0)) best = v;
    }
    return best;
  };
  let value: StoredValue;
  switch (fn) {
    case 'count': value = docs.length; break;
    case 'sum': value = numbers().reduce((total, n) => total + n, 0); break;
    case 'avg': {
      const ns = numbers();
      value = ns.length === 0 ? null : ns.reduce((total, n) => total + n, 0) / ns.length;
      break;
    }
    case 'max': value = extreme(1); break;
    case 'min': value = extreme(-1); break;
    case 'merge': value = values.filter(isPresent); break;
  }
  return { value, matched: docs.length };
}
