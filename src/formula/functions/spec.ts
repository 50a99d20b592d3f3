/**
 * How a library function is described: the metadata the parser, the compiler and the meta
 * validator need (arity, how many arguments ION evaluates, which are lazy), and its implementation.
 */
import type { EvalEnv } from '../runtime.ts';

export type FunctionFamily = 'logic' | 'compare' | 'math' | 'string' | 'date' | 'aggregate' | 'data';

/**
 * A function implementation. `args` holds the evaluated arguments, at most `evalLimit` of them
 * (the ones past it are never evaluated, as in ION); a lazy argument arrives as a `LazyFormula`.
 * Implementations are synchronous and never throw for odd values (those are values, as in ION):
 * they throw `FormulaRuntimeError` only where ION throws.
 */
export type FunctionImpl = (env: EvalEnv, args: readonly unknown[]) => unknown;

export interface FunctionMeta {
  readonly name: string;
  readonly family: FunctionFamily;
  /** Fewest arguments that make sense (the meta validator reports fewer as wrong arity). */
  readonly minArgs: number;
  /** Most arguments used (more is reported as wrong arity; ION ignores them). */
  readonly maxArgs: number;
  /** How many leading arguments are evaluated (ION's `argCalc` limit). */
  readonly evalLimit: number;
  /** Argument positions that are always lazy, even without `&` (`contains` → [1]). */
  readonly autoLazy?: readonly number[];
  /** Argument positions that consume a lazy formula (conditions of aggregations, `contains`). */
  readonly consumesLazy?: readonly number[];
  /**
   * `special` functions (`if`, `and`, `or`) evaluate their arguments themselves (short-circuit):
   * the compiler emits them inline; their `impl` receives the arguments evaluated and is used
   * only by generic callers.
   */
  readonly special?: boolean;
  /** One line for the function reference. */
  readonly summary: string;
}

export interface FunctionSpec extends FunctionMeta {
  readonly impl: FunctionImpl;
}
