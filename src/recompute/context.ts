/**
 * Building the recompute context: the meta model, a store, formulas compiled once and the class
 * order, with documented defaults.
 */
import type { MetaModel } from '../meta/index.ts';
import type { StorePort } from '../store/port.ts';
import { ClassOrder } from './class-order.ts';
import { CompiledMeta } from './compiled-meta.ts';
import type { RecomputeContext, RecomputeHooks } from './types.ts';

export interface RecomputeOptions {
  /** Clock of `now()`; default the system clock. */
  readonly now?: Date | (() => Date);
  /** Objects per batch; default 500. */
  readonly batchSize?: number;
  /** Journal computed writes; default true. */
  readonly journal?: boolean;
  /**
   * Keep every change in `result.changedFields`; default true. A rebuild of millions of objects
   * passes false (`result.changedCount` still counts them; `hooks.onChange` still sees each).
   */
  readonly keepChanges?: boolean;
  /** `batched` (default) or `per-object` (ION-style loading, for comparison). */
  readonly loading?: 'batched' | 'per-object';
  readonly hooks?: RecomputeHooks;
}

const orders = new WeakMap<MetaModel, ClassOrder>();
const compiledMetas = new WeakMap<MetaModel, CompiledMeta>();

/** The class order of a meta model (computed once per model). */
export function classOrderOf(meta: MetaModel): ClassOrder {
  let order = orders.get(meta);
  if (!order) orders.set(meta, (order = new ClassOrder(meta)));
  return order;
}

export function createRecomputeContext(meta: MetaModel, store: StorePort, options: RecomputeOptions = {}): RecomputeContext {
  let compiled = compiledMetas.get(meta);
  if (!compiled) compiledMetas.set(meta, (compiled = new CompiledMeta(meta)));
  const batchSize = options.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  return {
    meta,
    store,
    compiled,
    batchSize,
    journal: options.journal ?? true,
    keepChanges: options.keepChanges ?? true,
    loading: options.loading ?? 'batched',
    hooks: options.hooks ?? {},
    ...(options.now !== undefined ? { now: options.now } : {}),
  };
}
