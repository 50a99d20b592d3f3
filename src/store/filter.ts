/**
 * Class-form filters: parsing `[op, value]` pairs and matching documents the way MongoDB does.
 * The embedded store evaluates filters here; the MongoDB adapter translates the same parsed form.
 */
import { StoreUsageError } from './errors.ts';
import { checkField } from './names.ts';
import { FILTER_OPERATORS, type Filter, type FilterOperator, type StoredDocument, type StoredValue } from './port.ts';
import { compareValues, kindOf, valuesEqual } from './values.ts';

/** One parsed condition of a filter. */
export interface Condition {
  readonly field: string;
  readonly op: FilterOperator;
  readonly value: StoredValue;
}

function isOperatorPair(value: StoredValue): value is [FilterOperator, StoredValue] {
  return Array.isArray(value) && value.length === 2 && FILTER_OPERATORS.includes(value[0] as FilterOperator);
}

/** Splits a filter into conditions (plain values become `eq`); `in`/`nin` need an array. */
export function parseFilter(filter: Filter): Condition[] {
  return Object.entries(filter).map(([field, raw]) => {
    checkField(field);
    const [op, value] = isOperatorPair(raw) ? raw : (['eq', raw] as const);
    if ((op === 'in' || op === 'nin') && !Array.isArray(value)) {
      throw new StoreUsageError(`filter operator ${op} on ${field} needs an array, got ${JSON.stringify(value)}`);
    }
    return { field, op, value };
  });
}

// Equality as a query applies it: a field equals the value, or is an array holding it; null also matches missing.
function equalsOrContains(fieldValue: StoredValue, value: StoredValue): boolean {
  if (valuesEqual(fieldValue, value)) return true;
  return Array.isArray(fieldValue) && fieldValue.some((element) => valuesEqual(element, value));
}

// Range operators only compare within one bracket (numbers with numbers…); arrays match through an element.
function rangeMatches(fieldValue: StoredValue, op: 'gt' | 'gte' | 'lt' | 'lte', value: StoredValue): boolean {
  const test = (candidate: StoredValue): boolean => {
    if (kindOf(candidate) !== kindOf(value)) return false;
    const c = compareValues(candidate, value);
    return op === 'gt' ? c > 0 : op === 'gte' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
  };
  return test(fieldValue) || (Array.isArray(fieldValue) && fieldValue.some(test));
}

/** Whether one field value satisfies one condition. */
export function conditionMatches(fieldValue: StoredValue, condition: Condition): boolean {
  const { op, value } = condition;
  switch (op) {
    case 'eq': return equalsOrContains(fieldValue, value);
    case 'ne': return !equalsOrContains(fieldValue, value);
    case 'in': return (value as StoredValue[]).some((v) => equalsOrContains(fieldValue, v));
    case 'nin': return !(value as StoredValue[]).some((v) => equalsOrContains(fieldValue, v));
    case 'gt': case 'gte': case 'lt': case 'lte': return rangeMatches(fieldValue, op, value);
  }
}

/** Whether a document satisfies every condition. */
export function documentMatches(doc: StoredDocument, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => conditionMatches(doc[condition.field], condition));
}
