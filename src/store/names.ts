/**
 * Validation of the names the stores splice into SQL paths and MongoDB documents. Field names are
 * ION attribute names (struct fields use `$` inside, never a dot), so dots, quotes and a leading
 * `$` are refused rather than escaped: they would mean something else to one of the adapters.
 */
import { StoreUsageError } from './errors.ts';

const BAD_FIELD = /["\\.\u0000-\u001f]|^\$/;
const BAD_COLLECTION = /["\u0000-\u001f]|^\$|^system\./;

/** Throws unless `field` is a usable top-level field name; returns it. */
export function checkField(field: string): string {
  if (typeof field !== 'string' || field === '' || BAD_FIELD.test(field)) {
    throw new StoreUsageError(`invalid field name ${JSON.stringify(field)}`);
  }
  return field;
}

/** Throws unless `name` is a usable collection name; returns it. */
export function checkCollection(name: string): string {
  if (typeof name !== 'string' || name === '' || BAD_COLLECTION.test(name)) {
    throw new StoreUsageError(`invalid collection name ${JSON.stringify(name)}`);
  }
  return name;
}
