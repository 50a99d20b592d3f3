/**
 * An `ObjectGraph` over plain JavaScript objects: attributes are own properties, a reference is a
 * nested object, a collection is an array of objects. It makes the engine usable on its own
 * (`recalc eval --object`, tests) and is the model a store-backed graph follows.
 */
import moment from 'moment';
import type { ClassAggregateRequest, FindOneRequest, GraphObject, ObjectGraph } from './graph.ts';
import { LazyFormula, FormulaRuntimeError, readDotted } from './runtime.ts';

export interface PlainGraphOptions {
  /** Id of an object; default: its `id` property, else `_id`, as a string. */
  readonly idOf?: (object: GraphObject) => string;
  /** Objects per canonical class name, for class-form aggregations and `get(class, ...)`. */
  readonly classes?: Readonly<Record<string, readonly GraphObject[]>>;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Own property of a plain object, never an inherited one (so `$constructor` is missing). */
export function ownValue(object: object, name: string): unknown {
  return hasOwn.call(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

export function isPlainGraphObject(value: unknown): value is GraphObject {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof LazyFormula)
  );
}

function defaultIdOf(object: GraphObject): string {
  const id = ownValue(object, 'id') ?? ownValue(object, '_id');
  return id === undefined || id === null ? '' : String(id);
}

export class PlainObjectGraph implements ObjectGraph {
  readonly idOf: (object: GraphObject) => string;
  private readonly classes: Readonly<Record<string, readonly GraphObject[]>>;

  constructor(options: PlainGraphOptions = {}) {
    this.idOf = options.idOf ?? defaultIdOf;
    this.classes = options.classes ?? {};
  }

  get(object: GraphObject, name: string): unknown {
    const value = ownValue(object, name);
    // ION's system attribute `__class` is the object's class: the stored `_class` discriminator.
    if (value === undefined && name === '__class') return ownValue(object, '_class');
    return value;
  }

  isObject(value: unknown): value is GraphObject {
    return isPlainGraphObject(value);
  }

  classOf(object: GraphObject): string {
    const cls = ownValue(object, '_class');
    return typeof cls === 'string' ? cls : '';
  }

  semanticOf(object: GraphObject): string {
    const semantic = ownValue(object, '__semantic');
    return typeof semantic === 'string' && semantic !== '' ? semantic : this.idOf(object);
  }

  displayOf(object: GraphObject, name: string): unknown {
    const value = ownValue(object, name);
    if (value === undefined || value === null) return '';
    if (this.isObject(value)) return this.semanticOf(value);
    if (Array.isArray(value)) {
      return value.map((v) => (this.isObject(v) ? this.semanticOf(v) : String(v))).join(' ');
    }
    // ION formats dates for display with `L LT` in the `ru` locale.
    if (value instanceof Date) return moment(value).locale('ru').format('L LT');
    return value;
  }

  aggregate(request: ClassAggregateRequest): unknown {
    const rows = this.objectsOf(request.className).filter((o) => matchesFilter(this, o, request.filter));
    return aggregateRows(this, rows, request);
  }

  findOne(request: FindOneRequest): GraphObject | null {
    const rows = this.objectsOf(request.className);
    if (request.id !== undefined) return rows.find((o) => this.idOf(o) === request.id) ?? null;
    const criteria = Object.entries(request.criteria ?? {});
    // ION compares with == here (its filter is built from the formula values).
    // eslint-disable-next-line eqeqeq
    return rows.find((o) => criteria.every(([k, v]) => readDotted(this, o, k) == v)) ?? null;
  }

  private objectsOf(className: string): readonly GraphObject[] {
    const rows = this.classes[className] ?? this.classes[className.split('@')[0] as string];
    if (!rows) throw new FormulaRuntimeError(`class ${className} is not known to this graph`);
    return rows;
  }
}

/** MongoDB-like matching: strict equality, an array field matches a value it contains. */
function matchesFilter(graph: ObjectGraph, object: GraphObject, filter: Readonly<Record<string, unknown>>): boolean {
  for (const [attr, condition] of Object.entries(filter)) {
    const value = readDotted(graph, object, attr);
    const [op, operand] =
      Array.isArray(condition) && typeof condition[0] === 'string' && condition.length === 2
        ? [condition[0], condition[1]]
        : ['eq', condition];
    if (!compareOp(op, value, operand)) return false;
  }
  return true;
}

function comparable(v: unknown): unknown {
  return v instanceof Date ? v.getTime() : v;
}

function compareOp(op: string, rawValue: unknown, rawOperand: unknown): boolean {
  const value = comparable(rawValue);
  const operand = comparable(rawOperand);
  const anyOf = (test: (v: unknown) => boolean): boolean =>
    Array.isArray(value) ? value.some((v) => test(comparable(v))) || test(value) : test(value);
  const ordered = (v: unknown): boolean => v !== null && v !== undefined && operand !== null && operand !== undefined;
  switch (op) {
    case 'eq':
      return anyOf((v) => v === operand || (v === undefined && operand === null));
    case 'ne':
      return !anyOf((v) => v === operand || (v === undefined && operand === null));
    case 'gt':
      return anyOf((v) => ordered(v) && (v as number) > (operand as number));
    case 'gte':
      return anyOf((v) => ordered(v) && (v as number) >= (operand as number));
    case 'lt':
      return anyOf((v) => ordered(v) && (v as number) < (operand as number));
    case 'lte':
      return anyOf((v) => ordered(v) && (v as number) <= (operand as number));
    case 'in':
      return Array.isArray(operand) && anyOf((v) => operand.some((o) => comparable(o) === v));
    case 'nin':
      return !(Array.isArray(operand) && anyOf((v) => operand.some((o) => comparable(o) === v)));
    case 'empty':
      return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
    case 'nempty':
      return !(value === null || value === undefined || (Array.isArray(value) && value.length === 0));
    default:
      throw new FormulaRuntimeError(`unknown filter operator ${op}`);
  }
}

/**
 * A `$group` over the matching objects, as MongoDB answers ION's aggregate request: `count` is
 * the number of objects, `sum`/`avg` take numbers only, `max`/`min` skip nulls, `merge` joins
 * the non-empty values with spaces. No matching object → 0 (ION's fallback).
 * ION's class-form `min` computed max and `merge` computed sum (upstream bugs we fix).
 */
export function aggregateRows(
  graph: ObjectGraph,
  rows: readonly GraphObject[],
  request: ClassAggregateRequest,
): unknown {
  if (rows.length === 0) return 0;
  if (request.fn === 'count') return rows.length;
  const values = rows.map((o) => (request.attribute === null ? null : readDotted(graph, o, request.attribute)));
  const numbers = values.filter((v): v is number => typeof v === 'number');
  switch (request.fn) {
    case 'sum':
      return numbers.reduce((a, b) => a + b, 0);
    case 'avg':
      return numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'max':
    case 'min': {
      const present = values.map(comparable).filter((v) => v !== null && v !== undefined) as (number | string)[];
      if (present.length === 0) return null;
      const pick = request.fn === 'max' ? (a: number | string, b: number | string) => (b > a ? b : a) : (a: number | string, b: number | string) => (b < a ? b : a);
      const best = present.reduce(pick);
      const index = values.findIndex((v) => comparable(v) === best);
      return values[index];
    }
    case 'merge':
      return values.filter((v) => v !== null && v !== undefined && v !== '').map(String).join(' ');
    default:
      return null;
  }
}
