/**
 * Aggregations: `count sum avg max min merge` (ion-spec §1.5, §1.7 "Aggregation argument forms").
 *
 * Collection form — the first argument is an array: falsy elements are skipped, the condition
 * (a lazy `&` formula) runs with each element as context, `attr` may be dotted.
 * Class form — the first argument is a class name: the graph answers the aggregate
 * (`ObjectGraph.aggregate`). Anything else gives null (`merge` ''), so `count($emptyRef)` is null.
 *
 * Arguments: `count(coll, cond?, unique?)`, `sum(coll, attr, cond?, unique?)`,
 * `avg|max|min(coll, attr, cond?)`, `merge(coll, attr, cond?, unique?, sep=' ')`;
 * class form `fn(className, attr, filter?)`.
 */
import type { ClassAggregateRequest, ClassFilter, ObjectGraph } from '../graph.ts';
import { FormulaRuntimeError, LazyFormula, readDotted, type EvalEnv } from '../runtime.ts';
import { isCondition, seenTracker, textOf } from './coerce.ts';
import type { FunctionImpl } from './spec.ts';

type AggregateName = ClassAggregateRequest['fn'];

/** A condition ION cannot call (it throws once it tries, i.e. on the first element). */
const UNCALLABLE = Symbol('uncallable condition');
type Condition = LazyFormula | null | typeof UNCALLABLE;

/**
 * ION's reading of a condition argument. `count` stringifies a non-function 2nd argument, so
 * only '' means "no condition" there (`count(x, null, 1)` throws); elsewhere any falsy value does.
 */
function conditionOf(env: EvalEnv, fn: AggregateName, args: readonly unknown[], at: number): Condition {
  if (args.length <= at) return null;
  const value = args[at];
  if (isCondition(value)) return value;
  const absent = fn === 'count' ? textOf(env.graph, value) === '' : !value;
  if (!absent) return UNCALLABLE;
  if (value !== null && value !== undefined) env.warn(`${fn}: condition ${JSON.stringify(value)} is not a formula and is ignored`);
  return null;
}

/** The attribute argument: ION's `String(arg)`; missing or a formula → null (unusable). */
function attributeOf(env: EvalEnv, args: readonly unknown[]): string | null {
  if (args.length < 2 || isCondition(args[1])) return null;
  return textOf(env.graph, args[1]);
}

function requireAttribute(fn: AggregateName, attr: string | null): string {
  if (attr === null) throw new FormulaRuntimeError(`${fn}: the attribute to aggregate is not specified`, fn);
  return attr;
}

/** The truthy elements passing the condition, in order. */
function passing(fn: AggregateName, items: readonly unknown[], condition: Condition): unknown[] {
  if (condition === UNCALLABLE) {
    if (items.length > 0) throw new FormulaRuntimeError(`${fn}: the condition is not a formula`, fn);
    return [];
  }
  return items.filter((item) => Boolean(item) && (condition === null || Boolean(condition.apply(item))));
}

/**
 * An attribute value as ION's `Item.get` returns it: a linked object is its stored key (id), a
 * collection the list of its ids.
 */
function storedValue(graph: ObjectGraph, value: unknown): unknown {
  if (graph.isObject(value)) return graph.idOf(value);
  if (Array.isArray(value)) return value.map((v) => (graph.isObject(v) ? graph.idOf(v) : v));
  return value;
}

/**
 * `sum`/`merge` on a dotted attribute (`a.b.c`): the head is followed (a reference gives one
 * element, a collection its elements) and the rest aggregated over them by `nested`, as ION does.
 */
function dottedValue(
  graph: ObjectGraph,
  item: unknown,
  attr: string,
  nested: (items: readonly unknown[], rest: string) => unknown,
): unknown {
  // ION reads `element[attr]` from a non-object element: undefined (so `sum` becomes NaN).
  if (!graph.isObject(item)) return undefined;
  const dot = attr.indexOf('.');
  if (dot <= 0) return storedValue(graph, readDotted(graph, item, attr));
  const head = readDotted(graph, item, attr.slice(0, dot));
  return nested(Array.isArray(head) ? head : [head], attr.slice(dot + 1));
}

function sumOver(env: EvalEnv, items: readonly unknown[], attr: string, condition: Condition, unique: boolean): unknown {
  const seen = unique ? seenTracker(env.graph) : null;
  let result: unknown = 0;
  for (const item of passing('sum', items, condition)) {
    if (seen?.(item)) continue;
    const v = dottedValue(env.graph, item, attr, (sub, rest) => sumOver(env, sub, rest, null, unique));
    // JS `+` as in ION: a string value turns the sum into text, undefined into NaN.
    if (v !== null) result = (result as number) + (v as number);
  }
  return result;
}

function mergeOver(
  env: EvalEnv,
  items: readonly unknown[],
  attr: string,
  condition: Condition,
  unique: boolean,
  separator: string,
): string {
  const seen = unique ? seenTracker(env.graph) : null;
  let result = '';
  for (const item of passing('merge', items, condition)) {
    const v = dottedValue(env.graph, item, attr, (sub, rest) => mergeOver(env, sub, rest, null, unique, separator));
    if (!v || seen?.(v)) continue;
    result = result + (result ? separator : '') + textOf(env.graph, v);
  }
  return result;
}

/** Value of `attr` (dotted allowed) on one element, for avg/max/min. */
function valueOf(env: EvalEnv, fn: AggregateName, item: unknown, attr: string | null): unknown {
  return storedValue(env.graph, readDotted(env.graph, item, requireAttribute(fn, attr)));
}

type CollectionWork = (env: EvalEnv, items: readonly unknown[], args: readonly unknown[]) => unknown;

const collectionWork: Record<AggregateName, CollectionWork> = {
  count(env, items, args) {
    const seen = args[2] ? seenTracker(env.graph) : null;
    return passing('count', items, conditionOf(env, 'count', args, 1)).filter((item) => !seen?.(item)).length;
  },
  sum(env, items, args) {
    const condition = conditionOf(env, 'sum', args, 2);
    const elements = passing('sum', items, condition);
    if (elements.length === 0) return 0;
    return sumOver(env, elements, requireAttribute('sum', attributeOf(env, args)), null, Boolean(args[3]));
  },
  avg(env, items, args) {
    const attr = attributeOf(env, args);
    let total: unknown = 0;
    let count = 0;
    for (const item of passing('avg', items, conditionOf(env, 'avg', args, 2))) {
      const v = valueOf(env, 'avg', item, attr);
      if (v) total = (total as number) + (v as number);
      count++;
    }
    return (total as number) / count;
  },
  max(env, items, args) {
    // ION starts at 0 (so all-negative → 0) but answers null for an empty collection.
    if (items.length === 0) return null;
    const attr = attributeOf(env, args);
    let result: unknown = 0;
    for (const item of passing('max', items, conditionOf(env, 'max', args, 2))) {
      const v = valueOf(env, 'max', item, attr);
      if ((v as number) > (result as number)) result = v;
    }
    return result;
  },
  min(env, items, args) {
    // Starts at +∞; a null value compares as 0 and wins over positives, as in ION.
    if (items.length === 0) return null;
    const attr = attributeOf(env, args);
    let result: unknown = Number.POSITIVE_INFINITY;
    for (const item of passing('min', items, conditionOf(env, 'min', args, 2))) {
      const v = valueOf(env, 'min', item, attr);
      if ((v as number) < (result as number)) result = v;
    }
    return result;
  },
  merge(env, items, args) {
    const condition = conditionOf(env, 'merge', args, 2);
    const elements = passing('merge', items, condition);
    if (elements.length === 0) return '';
    const separator = args[4] ? textOf(env.graph, args[4]) : ' ';
    return mergeOver(env, elements, requireAttribute('merge', attributeOf(env, args)), null, Boolean(args[3]), separator);
  },
};

/** The class-form filter: attribute → value, or `[operator, value]` from a 2+ element array. */
function filterOf(value: unknown): ClassFilter {
  const filter: Record<string, unknown> = {};
  if (value === null || typeof value !== 'object') return filter;
  for (const [attr, raw] of Object.entries(value)) {
    // ION pushes a lazy value without evaluating it, so the filter sees undefined.
    const operand = (v: unknown): unknown => (isCondition(v) ? undefined : v);
    const condition = Array.isArray(raw) && raw.length > 1 ? [raw[0], operand(raw[1])] : operand(raw);
    Object.defineProperty(filter, attr, { value: condition, enumerable: true, writable: true, configurable: true });
  }
  return filter;
}

function classForm(env: EvalEnv, fn: AggregateName, args: readonly unknown[]): unknown {
  const { graph } = env;
  if (!graph.aggregate) throw new FormulaRuntimeError(`${fn}: this graph cannot aggregate over a class`, fn);
  const attribute = args[1] === null || args[1] === undefined ? null : textOf(graph, args[1]);
  const request: ClassAggregateRequest = {
    fn,
    className: args[0] as string,
    attribute,
    filter: filterOf(args[2]),
  };
  return graph.aggregate(request);
}

function aggregation(fn: AggregateName): FunctionImpl {
  const work = collectionWork[fn];
  return (env, args) => {
    if (args.length === 0) throw new FormulaRuntimeError(`${fn}: the data source of the aggregation is not specified`, fn);
    const source = args[0];
    if (Array.isArray(source)) return work(env, source, args);
    if (typeof source === 'string') return classForm(env, fn, args);
    return fn === 'merge' ? '' : null;
  };
}

/** Aggregation functions by name. */
export const aggregateFunctions: Readonly<Record<string, FunctionImpl>> = {
  count: aggregation('count'),
  sum: aggregation('sum'),
  avg: aggregation('avg'),
  max: aggregation('max'),
  min: aggregation('min'),
  merge: aggregation('merge'),
};
