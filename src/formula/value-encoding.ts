/**
 * A JSON encoding of formula values that keeps what JSON loses (the encoding of the conformance
 * suite): dates `{"$date": ISO}`, NaN and infinities `{"$number": …}`, undefined
 * `{"$undefined": true}`, objects of the graph `{"$item": {class, id}}`, lazy formulas
 * `{"$function": true}`.
 */
import type { ObjectGraph } from './graph.ts';
import { LazyFormula } from './runtime.ts';

export function encodeValue(value: unknown, graph?: ObjectGraph): unknown {
  if (value === undefined) return { $undefined: true };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : { $number: String(value) };
  }
  if (value instanceof Date) {
    return { $date: Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString() };
  }
  if (value instanceof LazyFormula || typeof value === 'function') return { $function: true };
  if (Array.isArray(value)) return value.map((v) => encodeValue(v, graph));
  if (graph?.isObject(value)) return { $item: { class: graph.classOf(value), id: graph.idOf(value) } };
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v, graph)]));
  }
  return String(value);
}

/** The inverse for the scalar forms (`$date`, `$number`, `$undefined`), e.g. for expected values. */
export function decodeValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$date === 'string') return new Date(record.$date === 'Invalid Date' ? Number.NaN : record.$date);
  if (typeof record.$number === 'string') return Number(record.$number);
  if (record.$undefined === true) return undefined;
  if ('$item' in record || '$function' in record) return value;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeValue(v)]));
}
