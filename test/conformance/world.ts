/**
 * Reads the conformance worlds of `../shared/conformance` (meta, stored documents, expected
 * caches, cases) for tests. Only what tests of the formula layer need: the full recompute path
 * runs these worlds through the store in the recompute tests.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeValue } from '../../src/formula/value-encoding.ts';
import { sharedPath } from '../shared-dir.ts';

export const CONFORMANCE_DIR = sharedPath('conformance');

export interface ConformanceCase {
  id: string;
  world: 'A' | 'B' | 'C';
  class: string;
  objectId: string;
  formula: unknown;
  expected: unknown;
  cast_type?: number;
  expected_cast?: unknown;
  notes?: string;
  bug?: string;
}

export interface PropertyDef {
  name: string;
  type: number;
  orderNumber: number;
  formula?: unknown;
  cached?: boolean;
  refClass?: string;
  itemsClass?: string;
  selectionProvider?: { type: string; list?: { key: string; value: string }[] } | null;
}

export interface ClassDef {
  name: string;
  caption?: string;
  namespace?: string;
  ancestor?: string | null;
  properties: PropertyDef[];
}

export interface World {
  /** Classes by canonical name, properties merged with ancestors' (own override), by orderNumber. */
  readonly classes: Map<string, { def: ClassDef; properties: PropertyDef[] }>;
  readonly documents: Record<string, unknown>[];
  readonly cached: Record<string, Record<string, Record<string, unknown>>>;
}

export function readCases(file: 'cases.jsonl' | 'bugs.jsonl'): ConformanceCase[] {
  return readFileSync(join(CONFORMANCE_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ConformanceCase);
}

export function loadWorld(name: string): World {
  const dir = join(CONFORMANCE_DIR, 'worlds', name);
  const defs = new Map<string, ClassDef>();
  for (const file of readdirSync(join(dir, 'meta'))) {
    const def = JSON.parse(readFileSync(join(dir, 'meta', file), 'utf8')) as ClassDef;
    defs.set(`${def.name}@${def.namespace ?? ''}`, def);
  }
  const canonical = (def: ClassDef, ref: string): string => (ref.includes('@') ? ref : `${ref}@${def.namespace ?? ''}`);
  const merged = (def: ClassDef): PropertyDef[] => {
    const own = def.properties;
    const inherited = def.ancestor ? merged(defs.get(canonical(def, def.ancestor)) as ClassDef) : [];
    const byName = new Map<string, PropertyDef>();
    for (const p of [...inherited, ...own]) byName.set(p.name, p);
    return [...byName.values()].sort((a, b) => a.orderNumber - b.orderNumber);
  };
  const classes = new Map([...defs].map(([key, def]) => [key, { def, properties: merged(def) }]));
  const documents = decodeValue(JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8'))) as Record<string, unknown>[];
  const expected = JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'cached-expected.json'), 'utf8')) as Record<string, World['cached']>;
  return { classes, documents, cached: decodeValue(expected[name] ?? {}) as World['cached'] };
}
