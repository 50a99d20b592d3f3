/**
 * The recompute layer: batched loading of what formulas read, evaluation of cached values in
 * order, diffing, writing, and cascades to dependants (docs/recompute.md). Free of queue
 * concerns: the worker and the CLI build a context and call these functions.
 */
export { createRecomputeContext, classOrderOf, type RecomputeOptions } from './context.ts';
export { recomputeObjects, applyChange, applyChanges, rebuildAll, type ApplyOptions, type CascadeMode, type CascadeOptions, type RebuildOptions } from './recompute.ts';
export { evaluateFormula, readAttribute, ObjectNotFoundError, type Evaluation } from './evaluate-formula.ts';
export { findDependants, type Dependant, type FindOptions } from './dependants.ts';
export type { ChangeEvent } from './change-event.ts';
export { cachedTargets, hasTargets, type CachedTarget } from './targets.ts';
export { LoadSession } from './session.ts';
export { LoadedGraph } from './loaded-graph.ts';
export { LoadedObject } from './loaded-object.ts';
export { ClassOrder } from './class-order.ts';
export { readersOf } from './readers.ts';
export { findClass } from './class-names.ts';
export { CompiledMeta } from './compiled-meta.ts';
export { MAX_VISITS } from './work-queue.ts';
export { emptyResult, addWarnings, MAX_KEPT_WARNINGS } from './types.ts';
export type {
  ObjectRef, RecomputeContext, RecomputeError, RecomputeHooks, RecomputeResult, RecomputeWarning, ValueChange,
} from './types.ts';
