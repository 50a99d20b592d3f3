/**
 * Which failures are worth retrying. A formula that throws or a bad meta fails the same way on
 * every attempt, so retrying only delays the error report; a lost connection or a timeout may
 * heal, so it is retried with backoff.
 */

/** Thrown by a processor to say "this object can never succeed as things are": no retry. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/**
 * Error names that never heal by retrying. They are matched by name because this layer must not
 * import the formula or meta layers (design.md: the queue knows nothing of formula internals).
 */
export const PERMANENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  'PermanentJobError',
  'UnrecoverableError',
  'FormulaRuntimeError',
  'FormulaSyntaxError',
  'JsonSyntaxError',
  'MetaError',
  'MetaValidationError',
  'StoreUsageError',
]);

/** How a failure is handled: `retry` with backoff, or `permanent` (kept failed at once). */
export type ErrorClass = 'retry' | 'permanent';

/** Decides whether an error is retried; injectable so the composition root can refine it. */
export type ErrorClassifier = (error: unknown) => ErrorClass;

/** The default classifier: permanent for the names in {@link PERMANENT_ERROR_NAMES}, retry for everything else. */
export const classifyError: ErrorClassifier = (error) => {
  if (error instanceof Error && PERMANENT_ERROR_NAMES.has(error.name)) return 'permanent';
  return 'retry';
};

/** Makes anything thrown into an `Error` (processors may throw strings). */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
