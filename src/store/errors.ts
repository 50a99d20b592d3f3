/** Errors thrown by the stores. They are configuration or usage errors, never formula values. */

/** Bad input to a store method (an invalid field name, a document without `_class`, an unknown function…). */
export class StoreUsageError extends Error {
  override readonly name = 'StoreUsageError';
}

/** The adapter does not implement this operation yet (e.g. the MongoDB change feed). */
export class UnsupportedOperationError extends Error {
  override readonly name = 'UnsupportedOperationError';
}
