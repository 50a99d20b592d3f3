/**
 * Data: `element collect obj get next` (ion-spec §1.7). `get` and `next` reach outside the
 * formula (the graph's look-up, the sequence provider) and throw where ION throws.
 */
import { FormulaRuntimeError } from '../runtime.ts';
import { textOf } from './coerce.ts';
import type { FunctionImpl } from './spec.ts';

/** Array index keys only (`'0'`, `'12'`): never `length` or anything inherited. */
const INDEX = /^(?:0|[1-9]\d*)$/;

/** `element(arr, i=0)`: `arr[i]`, `i` may be `'last'`; a non-array or a missing element → null. */
const element: FunctionImpl = (env, args) => {
  const items = Array.isArray(args[0]) ? args[0] : [];
  const index = args.length > 1 ? args[1] : 0;
  const key = index === 'last' ? String(items.length - 1) : textOf(env.graph, index);
  if (!INDEX.test(key)) return null;
  const value: unknown = items[Number(key)];
  return value === undefined ? null : value;
};

function flattenInto(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) flattenInto(v, out);
  else if (value !== null) out.push(value);
}

/** `collect(...)`: every argument flattened (recursively) into one array, nulls dropped. */
const collect: FunctionImpl = (_env, args) => {
  const out: unknown[] = [];
  for (const arg of args) flattenInto(arg, out);
  return out;
};

/**
 * `obj(k1, v1, k2, v2, ...)`: a plain object; a dangling key gets null, and so does a key that
 * is falsy (ION then drops its value). Keys become own data properties (`__proto__` included).
 */
const obj: FunctionImpl = (env, args) => {
  const out: Record<string, unknown> = {};
  const set = (key: unknown, value: unknown): void => {
    Object.defineProperty(out, textOf(env.graph, key), { value, enumerable: true, writable: true, configurable: true });
  };
  let key: unknown = null;
  args.forEach((arg, i) => {
    if (i % 2 === 0) {
      key = arg;
      set(key, null);
    } else if (key) {
      set(key, arg);
      key = null;
    }
  });
  return out;
};

/**
 * `get(object)` → the object itself (ION reloads it); `get(class, id)`; `get(class, a1, v1, ...)`
 * → the first object whose attributes equal the values (loosely). A trailing array (ION's list of
 * paths to eager-load) is ignored. Not found → null; no arguments → error.
 */
const get: FunctionImpl = (env, args) => {
  let n = args.length;
  if (n > 0 && Array.isArray(args[n - 1])) n--;
  if (n === 0) throw new FormulaRuntimeError('get: the arguments of the fetch are not specified', 'get');
  const { graph } = env;
  if (n === 1) {
    if (!graph.isObject(args[0])) throw new FormulaRuntimeError('get: the arguments of the fetch are not specified', 'get');
    return args[0];
  }
  if (!graph.findOne) throw new FormulaRuntimeError('get: this graph cannot look objects up by class', 'get');
  const className = textOf(graph, args[0]);
  if (n === 2) {
    const id = args[1];
    if (id === null || id === undefined || id === '') return null;
    return graph.findOne({ className, id: graph.isObject(id) ? graph.idOf(id) : textOf(graph, id) });
  }
  const criteria: Record<string, unknown> = {};
  for (let i = 1; i + 1 < n; i += 2) {
    Object.defineProperty(criteria, textOf(graph, args[i]), { value: args[i + 1], enumerable: true, writable: true, configurable: true });
  }
  return graph.findOne({ className, criteria });
};

/**
 * `next(name)`: the next value of the named sequence; no argument or no provider → error. A
 * null name is not an error in ION (MongoDB keeps a sequence named null): here it is 'null'.
 */
const next: FunctionImpl = (env, args) => {
  if (args.length === 0) throw new FormulaRuntimeError('next: the sequence name is not specified', 'next');
  if (!env.sequences) throw new FormulaRuntimeError('next: no sequence provider is configured', 'next');
  const name = args[0];
  return env.sequences.next(name === undefined ? 'null' : textOf(env.graph, name));
};

/** Data functions by name. */
export const dataFunctions: Readonly<Record<string, FunctionImpl>> = { element, collect, obj, get, next };
