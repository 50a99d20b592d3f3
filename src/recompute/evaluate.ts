/**
 * Evaluating the cached values of a batch of loaded objects: each object's targets in order
 * (later ones see earlier results), cast by type. Evaluation is synchronous; an object whose
 * evaluation reached unloaded data is evaluated again after the session loaded it (batched), so
 * only complete evaluations count. A formula that throws is reported for that object and
 * attribute, and the rest goes on.
 */
import { castToPropertyType } from '../formula/cast.ts';
import type { LoadedGraph } from './loaded-graph.ts';
import { readableValue } from './loaded-graph.ts';
import type { LoadedObject } from './loaded-object.ts';
import type { LoadSession } from './session.ts';
import { cachedTargets } from './targets.ts';
import type { RecomputeError, RecomputeWarning } from './types.ts';

/** New values of one object: attribute → value to store (only targets that produced a value). */
export interface Evaluated {
  readonly object: LoadedObject;
  readonly values: Map<string, unknown>;
  readonly errors: RecomputeError[];
  /** Notes raised by formulas (e.g. a condition that is not a formula), per attribute. */
  readonly warnings: RecomputeWarning[];
}

/** Loading rounds before giving up on an evaluation that keeps reaching new data. */
const MAX_ROUNDS = 64;

/** Moves the notes formulas raised into `warnings`, naming the attribute (a plain function: this runs per value). */
function note(graph: LoadedGraph, object: LoadedObject, attribute: string, warnings: RecomputeWarning[]): void {
  if (graph.formulaWarnings.length === 0) return;
  for (const message of graph.formulaWarnings) warnings.push({ class: object.cls.canonicalName, id: object.id, attribute, message });
  graph.formulaWarnings = [];
}

function evaluateOne(graph: LoadedGraph, object: LoadedObject): Evaluated {
  const values = new Map<string, unknown>();
  const errors: RecomputeError[] = [];
  const warnings: RecomputeWarning[] = [];
  graph.beginRoot(object);
  graph.formulaWarnings = [];
  try {
    for (const target of cachedTargets(object.cls)) {
      const property = target.property;
      if (!property) {
        const text = graph.computeSemantic(object);
        note(graph, object, target.attribute, warnings);
        graph.setFresh(target.attribute, text);
        values.set(target.attribute, text);
        continue;
      }
      const formula = graph.compiledFormula(property);
      if (!formula) continue;
      let raw: unknown;
      try {
        raw = graph.evaluator(formula)(object);
        note(graph, object, target.attribute, warnings);
      } catch (error) {
        note(graph, object, target.attribute, warnings);
        errors.push({ class: object.cls.canonicalName, id: object.id, attribute: target.attribute, message: (error as Error).message });
        continue;
      }
      // A formula yielding undefined leaves the stored value (ION writes back what it reads).
      if (raw === undefined) continue;
      graph.setFresh(target.attribute, readableValue(graph, raw, property.type));
      values.set(target.attribute, castToPropertyType(raw, property.type, graph));
    }
  } finally {
    graph.endRoot();
  }
  return { object, values, errors, warnings };
}

/** Evaluates the cached values of `objects`, loading what they read in batched rounds. */
export async function evaluateObjects(session: LoadSession, objects: readonly LoadedObject[]): Promise<Evaluated[]> {
  const graph = session.graph;
  const results = new Map<LoadedObject, Evaluated>();
  let pending = objects;
  for (let round = 0; pending.length > 0; round++) {
    const missed: LoadedObject[] = [];
    for (const object of pending) {
      const before = graph.missCount;
      results.set(object, evaluateOne(graph, object));
      if (graph.missCount !== before) missed.push(object);
    }
    if (missed.length === 0 || !session.hasPending) break;
    if (round >= MAX_ROUNDS) {
      for (const o of missed) session.warn(o, '', `still reaching unloaded data after ${MAX_ROUNDS} loading rounds: values computed over what was loaded`);
      break;
    }
    await session.resolvePending();
    pending = missed;
  }
  return objects.map((o) => results.get(o)!);
}

/** Evaluates any formula-like work on the graph until it no longer reaches unloaded data. */
export async function evaluateLoaded<T>(session: LoadSession, work: () => T): Promise<T> {
  const graph = session.graph;
  for (let round = 0; ; round++) {
    const before = graph.missCount;
    let result: T;
    let failure: unknown;
    let failed = false;
    try {
      result = work();
    } catch (error) {
      failed = true;
      failure = error;
    }
    if (graph.missCount === before || !session.hasPending || round >= MAX_ROUNDS) {
      if (failed) throw failure;
      return result!;
    }
    await session.resolvePending();
  }
}
