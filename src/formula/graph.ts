/**
 * The object graph a formula is evaluated over.
 *
 * Evaluation is synchronous: whatever a formula reads must be loaded before it runs (the recompute
 * layer plans that load from `CompiledFormula.reads`). The graph answers attribute reads, follows
 * links and formats display values; class-form aggregations and `get(class, ...)` look-ups go to
 * the optional query methods, which a store-backed graph answers from data it preloaded.
 */

/** An object of the graph (an ION item). Its representation is the graph's business. */
export type GraphObject = object;

/** Filter of a class-form aggregation: attribute → value (equality) or `[operator, value]`. */
export type ClassFilter = Readonly<Record<string, unknown>>;

/** A class-form aggregation such as `count("eventBasic@pm-gov-ru", "guid", obj(...))`. */
export interface ClassAggregateRequest {
  readonly fn: 'count' | 'sum' | 'avg' | 'max' | 'min' | 'merge';
  /** Class name as written in the formula (possibly without namespace). */
  readonly className: string;
  /** Attribute aggregated (`null` when not given). */
  readonly attribute: string | null;
  /** Conditions AND-ed; `{}` when none. */
  readonly filter: ClassFilter;
}

/** `get(class, id)` or `get(class, attr1, value1, ...)`. */
export interface FindOneRequest {
  readonly className: string;
  /** Set for `get(class, id)`. */
  readonly id?: string;
  /** Set for `get(class, a1, v1, ...)`: all must equal (loosely, as ION's `==`). */
  readonly criteria?: Readonly<Record<string, unknown>>;
}

export interface ObjectGraph {
  /**
   * The value of attribute `name` of `object`: a scalar, a linked object (reference), an array of
   * linked objects (collection), or `null`/`undefined` when missing. Must never expose JavaScript
   * internals: a name that is not an attribute (`__proto__`, `constructor`) is missing.
   */
  get(object: GraphObject, name: string): unknown;
  /** Whether a value is an object of this graph rather than data. */
  isObject(value: unknown): value is GraphObject;
  /** The object's id: its key values joined by `_` (always a string). */
  idOf(object: GraphObject): string;
  /** The canonical class name of the object (`name@namespace`), or '' when unknown. */
  classOf(object: GraphObject): string;
  /** The object's display string: its semantic, or its id when that is empty. */
  semanticOf(object: GraphObject): string;
  /** The display value of an attribute (`$attr@`): formatted date, list label, linked semantic. */
  displayOf(object: GraphObject, name: string): unknown;
  /** Answers a class-form aggregation; absent → the aggregation throws. */
  aggregate?(request: ClassAggregateRequest): unknown;
  /** Answers `get(class, ...)`; absent → `get` throws. */
  findOne?(request: FindOneRequest): GraphObject | null;
}
