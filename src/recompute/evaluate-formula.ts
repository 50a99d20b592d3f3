/**
 * Evaluating one formula (or reading one attribute) on one stored object, loaded the way ION's
 * get-by-id loads it: stored values, cached values as stored, non-cached formulas computed on
 * demand, links loaded when a path reaches them (batched rounds). This is `recalc eval` and the
 * conformance protocol.
 */
import { castToPropertyType } from '../formula/cast.ts';
import { compileFormula } from '../formula/compile.ts';
import type { ObjectGraph } from '../formula/graph.ts';
import { encodeValue } from '../formula/value-encoding.ts';
import { findClass } from './class-names.ts';
import { evaluateLoaded } from './evaluate.ts';
import { LoadSession } from './session.ts';
import type { ObjectRef, RecomputeContext, RecomputeWarning } from './types.ts';

export interface Evaluation {
  /** The raw value the formula returned (objects are objects of `graph`). */
  readonly value: unknown;
  /** The graph the value belongs to, for `encodeValue` / `castToPropertyType`. */
  readonly graph: ObjectGraph;
  readonly warnings: readonly RecomputeWarning[];
  /** The value in the conformance encoding (`$date`, `$item`, …). */
  encoded(): unknown;
  /** The value an attribute of property type `type` would hold (ids for objects; undefined reads as null). */
  cast(type: number): unknown;
}

/** Thrown when the object to evaluate on does not exist. */
export class ObjectNotFoundError extends Error {
  override readonly name = 'ObjectNotFoundError';
}

async function withObject(ctx: RecomputeContext, ref: ObjectRef, work: (session: LoadSession, object: object) => unknown): Promise<Evaluation> {
  const cls = findClass(ctx.meta.repository, ref.class);
  if (!cls) throw new ObjectNotFoundError(`class ${ref.class} is not in the meta`);
  const session = new LoadSession(ctx);
  // ION's get-by-id looks the id up in the root class's collection whatever class was asked for.
  const root = ctx.meta.repository.get(cls.storage.rootClass);
  const object = (await session.loadObjects(cls, [ref.id])).get(ref.id) ?? (await session.loadObjects(root, [ref.id])).get(ref.id);
  if (!object) throw new ObjectNotFoundError(`no object ${ref.class}/${ref.id}`);
  session.graph.namespace = object.cls.namespace;
  const value = await evaluateLoaded(session, () => work(session, object));
  const graph = session.graph;
  return {
    value,
    graph,
    warnings: session.warnings,
    encoded: () => encodeValue(value, graph),
    cast: (type) => {
      const cast = castToPropertyType(value, type, graph);
      return cast === undefined ? null : cast;
    },
  };
}

/**
 * Evaluates `formula` (string or object syntax) with the object `ref` as context. The object is
 * found among `ref.class` and its descendants, else anywhere in its root class's collection (as
 * ION's get-by-id, which ignores the class).
 * @throws FormulaSyntaxError, FormulaRuntimeError (as ION would fail), ObjectNotFoundError
 */
export function evaluateFormula(ctx: RecomputeContext, ref: ObjectRef, formula: unknown): Promise<Evaluation> {
  const compiled = compileFormula(formula);
  return withObject(ctx, ref, (session, object) => session.graph.evaluator(compiled)(object));
}

/** The value of attribute `attribute` of the object as a read gives it (cached: stored; non-cached formula: computed). */
export function readAttribute(ctx: RecomputeContext, ref: ObjectRef, attribute: string): Promise<Evaluation> {
  return withObject(ctx, ref, (session, object) => {
    const value = session.graph.get(object, attribute);
    return value === undefined ? null : value;
  });
}
