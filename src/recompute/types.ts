/**
 * Shared shapes of the recompute layer: object references, what a recompute reports, and the
 * context every entry point takes (meta, store, clock). Kept free of queue concerns: the worker
 * and the CLI build a context and call the functions of `index.ts`.
 */
import type { MetaModel } from '../meta/index.ts';
import type { StorePort } from '../store/port.ts';
import type { CompiledMeta } from './compiled-meta.ts';

/** One object: its actual class (canonical name) and its id (key values joined by `_`). */
export interface ObjectRef {
  readonly class: string;
  readonly id: string;
}

/** A bad-data note: never fatal, always names the object and the attribute concerned. */
export interface RecomputeWarning {
  readonly class: string;
  readonly id: string;
  /** The attribute concerned ('' when it is about the whole object). */
  readonly attribute: string;
  readonly message: string;
}

/** A formula that threw for one object: that attribute keeps its stored value. */
export interface RecomputeError {
  readonly class: string;
  readonly id: string;
  readonly attribute: string;
  readonly message: string;
}

/** One value written: the field, the stored value before and the new one. */
export interface ValueChange {
  readonly class: string;
  readonly id: string;
  readonly attribute: string;
  readonly old: unknown;
  readonly new: unknown;
}

/** Observers of the recompute (progress bars, the demo's narration); all optional. */
export interface RecomputeHooks {
  /** A value changed and was written. `why` says what caused the recompute of the object. */
  readonly onChange?: (change: ValueChange, why: string) => void;
  /** A batch was processed (rebuild progress). */
  readonly onBatch?: (info: { readonly class: string; readonly objects: number }) => void;
  readonly onWarning?: (warning: RecomputeWarning) => void;
}

/** Everything the recompute functions need. Build it once with `createRecomputeContext`. */
export interface RecomputeContext {
  readonly meta: MetaModel;
  readonly store: StorePort;
  /** Formulas of the meta, compiled once. */
  readonly compiled: CompiledMeta;
  /** The clock of `now()` (default: the system clock). */
  readonly now?: Date | (() => Date);
  /** Objects per batch (default 500). */
  readonly batchSize: number;
  /** Journal computed writes (default true; a rebuild may turn it off). */
  readonly journal: boolean;
  /** Keep every change in `result.changedFields` (default true); a large rebuild counts them only. */
  readonly keepChanges: boolean;
  /**
   * `batched` (default): one query per hop for the whole batch. `per-object`: each object loads
   * what it reads lazily in a session of its own (queries per object and hop), close to ION's
   * `refreshCaches` (which even queries per linked object) — only for comparing the two (the benchmark).
   */
  readonly loading: 'batched' | 'per-object';
  readonly hooks: RecomputeHooks;
}

/** What a recompute did. */
export interface RecomputeResult {
  /** Documents written. */
  written: number;
  /** Every value that changed, in the order written (empty when the context has `keepChanges: false`). */
  changedFields: ValueChange[];
  /** How many values changed (always set by this layer; optional so results built elsewhere stay valid). */
  changedCount?: number;
  /** Objects recomputed because something they read changed (beyond those asked for). */
  cascade: ObjectRef[];
  /** Objects recomputed in all. */
  objects: number;
  /** The first {@link MAX_KEPT_WARNINGS} warnings (all of them go to `hooks.onWarning`). */
  warnings: RecomputeWarning[];
  /** How many warnings there were in all (always set by this layer; optional so results built elsewhere stay valid). */
  warningCount?: number;
  errors: RecomputeError[];
}

/** Warnings kept in a result: a rebuild over bad data must not hold millions of them. */
export const MAX_KEPT_WARNINGS = 1000;

export function emptyResult(): RecomputeResult {
  return { written: 0, changedFields: [], changedCount: 0, cascade: [], objects: 0, warnings: [], warningCount: 0, errors: [] };
}

/** Adds warnings to a result, keeping the first {@link MAX_KEPT_WARNINGS}. */
export function addWarnings(result: RecomputeResult, warnings: readonly RecomputeWarning[]): void {
  result.warningCount = (result.warningCount ?? result.warnings.length) + warnings.length;
  for (const w of warnings) {
    if (result.warnings.length >= MAX_KEPT_WARNINGS) break;
    result.warnings.push(w);
  }
}

export const refKey = (ref: ObjectRef): string => `${ref.class}\u0000${ref.id}`;
