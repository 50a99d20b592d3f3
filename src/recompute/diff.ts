/**
 * Comparing a new cached value with the stored one, by value (dates by time, arrays element by
 * element, numbers numerically, as the store compares). A field that is missing is always written,
 * so after a recompute every cached field is present, as after ION's refresh.
 */
import type { StoredDocument } from '../store/port.ts';
import { valuesEqual } from '../store/values.ts';

export function isChanged(doc: StoredDocument, attribute: string, value: unknown): boolean {
  if (!Object.prototype.hasOwnProperty.call(doc, attribute)) return true;
  const stored = doc[attribute];
  // The store's order puts every invalid date level with any date; a recompute must see the change.
  if (stored instanceof Date && value instanceof Date) return !Object.is(stored.getTime(), value.getTime());
  return !valuesEqual(stored, value);
}
