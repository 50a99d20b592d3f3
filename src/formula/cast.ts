/**
 * Casting a formula result to its attribute's type before it is stored (ION's `core/cast.js` and
 * `Item.calculateProperties`, ion-spec §1.8).
 */
import type { ObjectGraph } from './graph.ts';

/** ION property type codes (`core/PropertyTypes.js`). */
export const PropertyType = {
  STRING: 0, TEXT: 1, HTML: 2, URL: 3, IMAGE: 4, FILE: 5, INT: 6, REAL: 7, DECIMAL: 8, DATETIME: 9,
  BOOLEAN: 10, PASSWORD: 11, GUID: 12, REFERENCE: 13, COLLECTION: 14, SET: 15, STRUCT: 16, CUSTOM: 17,
  USER: 18, PERIOD: 60, GEO: 100, FILE_LIST: 110, SCHEDULE: 210,
} as const;

export type PropertyTypeCode = (typeof PropertyType)[keyof typeof PropertyType];

function castScalar(value: unknown, type: number, graph: ObjectGraph | undefined): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map((v) => castScalar(v, type, graph));
  switch (type) {
    case PropertyType.STRING:
    case PropertyType.TEXT:
    case PropertyType.HTML:
    case PropertyType.URL:
      // An object's toString in ION is its semantic.
      return graph?.isObject(value) ? graph.semanticOf(value) : String(value);
    case PropertyType.BOOLEAN:
      return value === 'false' ? false : Boolean(value);
    case PropertyType.DATETIME:
      if (value instanceof Date) return value;
      return value ? new Date(value as string | number) : null;
    case PropertyType.REAL:
    case PropertyType.DECIMAL: {
      const n = parseFloat(value as string);
      return Number.isNaN(n) ? null : n;
    }
    case PropertyType.INT:
    case PropertyType.SET: {
      const n = parseInt(value as string, 10);
      return Number.isNaN(n) ? null : n;
    }
    default:
      return value;
  }
}

/**
 * The value an attribute of `type` stores for a formula result: a reference keeps the id of a
 * returned object, a collection the ids of returned objects; everything else goes through ION's
 * cast (numbers to strings for text types, `parseInt`/`parseFloat` with NaN → null, `'false'` →
 * false, dates via `new Date`, arrays element-wise; null and undefined unchanged).
 */
export function castToPropertyType(value: unknown, type: number, graph?: ObjectGraph): unknown {
  if (graph) {
    if (type === PropertyType.REFERENCE && graph.isObject(value)) return graph.idOf(value);
    if (type === PropertyType.COLLECTION && Array.isArray(value) && value.every((v) => graph.isObject(v))) {
      return value.map((v) => graph.idOf(v as object));
    }
  }
  return castScalar(value, type, graph);
}
