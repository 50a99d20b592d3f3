/**
 * ION property type codes (`core/PropertyTypes.js`, ion-spec §2.4) and what the meta layer needs
 * to know about each: whether it links to other objects, and how it is stored.
 */

/** Type codes as written in class files. */
export const PropertyType = {
  STRING: 0,
  TEXT: 1,
  HTML: 2,
  URL: 3,
  IMAGE: 4,
  FILE: 5,
  INT: 6,
  REAL: 7,
  DECIMAL: 8,
  DATETIME: 9,
  BOOLEAN: 10,
  PASSWORD: 11,
  GUID: 12,
  REFERENCE: 13,
  COLLECTION: 14,
  SET: 15,
  STRUCT: 16,
  CUSTOM: 17,
  USER: 18,
  PERIOD: 60,
  GEO: 100,
  FILE_LIST: 110,
  SCHEDULE: 210,
} as const;

export type PropertyTypeCode = (typeof PropertyType)[keyof typeof PropertyType];

const NAMES = new Map<number, string>(Object.entries(PropertyType).map(([name, code]) => [code, name]));

/** Whether `code` is one of ION's type codes. */
export function isPropertyTypeCode(code: unknown): code is PropertyTypeCode {
  return typeof code === 'number' && NAMES.has(code);
}

/** `STRING`, `REFERENCE`, … or `type <n>` for an unknown code. */
export function propertyTypeName(code: number): string {
  return NAMES.get(code) ?? `type ${code}`;
}

/** Every known type code (for the JSON Schema's enum). */
export const PROPERTY_TYPE_CODES: readonly number[] = Object.values(PropertyType);
