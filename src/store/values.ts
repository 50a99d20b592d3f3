/**
 * MongoDB's notion of equality and order over stored values, used wherever the embedded store
 * must answer exactly as MongoDB would (filters, `max`/`min`, change detection).
 */
import type { StoredValue } from './port.ts';

/** BSON comparison brackets, in MongoDB's sort order. */
export type ValueKind = 'null' | 'number' | 'string' | 'object' | 'array' | 'binary' | 'objectId' | 'boolean' | 'date' | 'regex' | 'other';

const KIND_RANK: Record<ValueKind, number> = {
  null: 1, number: 2, string: 3, object: 4, array: 5, binary: 6, objectId: 7, boolean: 8, date: 9, regex: 11, other: 12,
};

interface BsonLike { _bsontype: string; toString(): string; toHexString?: () => string; toNumber?: () => number; value?: unknown }

function bsonType(value: object): string | undefined {
  const tag = (value as Partial<BsonLike>)._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** The comparison bracket of a value (`undefined` counts as null, like a missing field). */
export function kindOf(value: StoredValue): ValueKind {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'number': case 'bigint': return 'number';
    case 'string': return 'string';
    case 'boolean': return 'boolean';
    case 'object': break;
    default: return 'other';
  }
  if (value instanceof Date) return 'date';
  if (Array.isArray(value)) return 'array';
  if (value instanceof RegExp) return 'regex';
  if (value instanceof Uint8Array) return 'binary';
  switch (bsonType(value as object)) {
    case undefined: return 'object';
    case 'Long': case 'Int32': case 'Double': case 'Decimal128': return 'number';
    case 'ObjectId': return 'objectId';
    case 'Binary': return 'binary';
    case 'BSONRegExp': return 'regex';
    default: return 'other';
  }
}

/** A numeric value as a JS number (BSON `Long`, `Int32`, `Double`, `Decimal128` included). */
export function toNumber(value: StoredValue): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const bson = value as BsonLike;
  if (typeof bson.toNumber === 'function') return bson.toNumber();
  if (typeof bson.value === 'number') return bson.value;
  return Number.parseFloat(String(value));
}

function isNaNValue(value: number): boolean {
  return value !== value; // eslint-disable-line no-self-compare
}

/**
 * Orders two values as MongoDB sorts them: first by bracket (null < numbers < strings < objects <
 * arrays < … < booleans < dates), then within the bracket. NaN sorts below every other number.
 */
export function compareValues(a: StoredValue, b: StoredValue): number {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb) return KIND_RANK[ka] - KIND_RANK[kb];
  switch (ka) {
    case 'null': return 0;
    case 'number': {
      const x = toNumber(a);
      const y = toNumber(b);
      if (isNaNValue(x) || isNaNValue(y)) return (isNaNValue(x) ? 0 : 1) - (isNaNValue(y) ? 0 : 1);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'string': case 'regex': case 'other': {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'boolean': return Number(a) - Number(b);
    case 'date': {
      const x = (a as Date).getTime();
      const y = (b as Date).getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 'objectId': return compareValues((a as BsonLike).toString(), (b as BsonLike).toString());
    case 'binary': return compareValues(Buffer.from(a as Uint8Array).toString('hex'), Buffer.from(b as Uint8Array).toString('hex'));
    case 'array': return compareSequences(a as StoredValue[], b as StoredValue[]);
    case 'object': return compareObjects(a as Record<string, StoredValue>, b as Record<string, StoredValue>);
  }
}

function compareSequences(a: readonly StoredValue[], b: readonly StoredValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareValues(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

// Embedded documents compare pair by pair in stored order: value bracket, then name, then value (BSON rules).
function compareObjects(a: Record<string, StoredValue>, b: Record<string, StoredValue>): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const na = ka[i] as string;
    const nb = kb[i] as string;
    const c = KIND_RANK[kindOf(a[na])] - KIND_RANK[kindOf(b[nb])]
      || (na < nb ? -1 : na > nb ? 1 : 0)
      || compareValues(a[na], b[nb]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}

/** Type-strict equality as MongoDB applies it: 5 ≠ "5", 1 ≠ true, dates by instant, NaN = NaN, `undefined` = `null`. */
export function valuesEqual(a: StoredValue, b: StoredValue): boolean {
  if (a === b) return true;
  const ka = kindOf(a);
  if (ka !== kindOf(b)) return false;
  if (ka === 'number') {
    const x = toNumber(a);
    const y = toNumber(b);
    return x === y || (isNaNValue(x) && isNaNValue(y));
  }
  return compareValues(a, b) === 0;
}

/**
 * A hash key under which values that are {@link valuesEqual} collide and others do not, for the
 * common scalar kinds (strings, numbers, booleans, null, dates, ObjectIds); `undefined` for values
 * that need a full comparison.
 */
export function valueKey(value: StoredValue): string | undefined {
  switch (kindOf(value)) {
    case 'null': return 'z';
    case 'string': return `s${value as string}`;
    case 'number': {
      const n = toNumber(value);
      return n === 0 ? 'n0' : `n${n}`; // -0 equals 0
    }
    case 'boolean': return value ? 'bt' : 'bf';
    case 'date': return `d${(value as Date).getTime()}`;
    case 'objectId': return `o${String(value)}`;
    default: return undefined;
  }
}

/** A set of values with MongoDB equality, fast for scalars. */
export class ValueSet {
  private readonly keys = new Set<string>();
  private readonly others: StoredValue[] = [];

  constructor(values: Iterable<StoredValue>) {
    for (const value of values) {
      const key = valueKey(value);
      if (key === undefined) this.others.push(value);
      else this.keys.add(key);
    }
  }

  /** Whether `value` equals one of the values. */
  has(value: StoredValue): boolean {
    const key = valueKey(value);
    if (key !== undefined && this.keys.has(key)) return true;
    return this.others.some((other) => valuesEqual(value, other));
  }
}
