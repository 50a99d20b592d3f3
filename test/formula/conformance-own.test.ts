/**
 * Conformance cases (values computed by the real ION calculator) whose formula reads only the
 * object's own attributes, evaluated on the plain-object graph. Cases that follow links run in the
 * recompute tests against a store.
 */
import moment from 'moment';
import 'moment/locale/ru';
import { describe, expect, it } from 'vitest';
import { castToPropertyType } from '../../src/formula/cast.ts';
import { compileFormula } from '../../src/formula/compile.ts';
import type { GraphObject } from '../../src/formula/graph.ts';
import { PlainObjectGraph } from '../../src/formula/plain-graph.ts';
import { encodeValue } from '../../src/formula/value-encoding.ts';
import { loadWorld, readCases, type PropertyDef, type World } from '../conformance/world.ts';

const LINK_TYPES = new Set([13, 14]);

/** Display values as ION's `Property.getDisplayValue` gives them for scalar attributes. */
class OwnAttributeGraph extends PlainObjectGraph {
  constructor(
    private readonly properties: Map<string, PropertyDef>,
    private readonly classTitle: string,
  ) {
    super();
  }
  override get(object: GraphObject, name: string): unknown {
    return name === '__classTitle' ? this.classTitle : super.get(object, name);
  }
  override displayOf(object: GraphObject, name: string): unknown {
    const value = this.get(object, name);
    const list = this.properties.get(name)?.selectionProvider?.list;
    if (list) return list.find((item) => item.key === value)?.value ?? value ?? '';
    if (value instanceof Date) return moment(value).locale('ru').format('L LT');
    return value ?? '';
  }
}

/** Attributes (by name) a formula reads, or null when it reads anything but own scalar attributes. */
function ownReads(formula: unknown, properties: Map<string, PropertyDef>, depth = 0): string[] | null {
  if (depth > 5) return null;
  const names: string[] = [];
  for (const read of compileFormula(formula).reads) {
    if (read.kind !== 'path' || read.segments.length !== 1 || read.via !== 'path') return null;
    const name = read.segments[0] as string;
    const prop = properties.get(name);
    if (prop && LINK_TYPES.has(prop.type)) return null;
    if (prop?.formula && !prop.cached && ownReads(prop.formula, properties, depth + 1) === null) return null;
    names.push(name);
  }
  return names;
}

/** The object as ION loads it: declared stored fields, cached values, non-cached formulas computed. */
function loadObject(world: World, className: string, id: string, graph: PlainObjectGraph): Record<string, unknown> {
  const doc = world.documents.find((d) => d.id === id);
  if (!doc) throw new Error(`no object ${id}`);
  const actualClass = doc._class as string;
  const properties = world.classes.get(actualClass)?.properties ?? [];
  const object: Record<string, unknown> = { id, _class: actualClass };
  for (const p of properties) if (p.name in doc) object[p.name] = doc[p.name];
  Object.assign(object, world.cached[actualClass]?.[id] ?? {});
  const byName = new Map(properties.map((p) => [p.name, p]));
  for (const p of properties) {
    if (!p.formula || p.cached || ownReads(p.formula, byName) === null) continue;
    const value = compileFormula(p.formula).evaluate(object, { graph });
    object[p.name] = value === undefined ? (object[p.name] ?? null) : castToPropertyType(value, p.type, graph);
  }
  void className;
  return object;
}

const worlds = new Map<string, World>();
const worldOf = (name: string): World => {
  if (!worlds.has(name)) worlds.set(name, loadWorld(name));
  return worlds.get(name) as World;
};

const cases = readCases('cases.jsonl').filter((c) => {
  const world = worldOf(c.world);
  const doc = world.documents.find((d) => d.id === c.objectId);
  const properties = world.classes.get((doc?._class as string) ?? c.class)?.properties ?? [];
  return ownReads(c.formula, new Map(properties.map((p) => [p.name, p]))) !== null;
});

describe('conformance: formulas over own attributes', () => {
  it('selects a substantial set of cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of cases) {
    it(`${c.id}: ${typeof c.formula === 'string' ? c.formula : JSON.stringify(c.formula)}`, () => {
      const world = worldOf(c.world);
      const doc = world.documents.find((d) => d.id === c.objectId) as Record<string, unknown>;
      const properties = world.classes.get(doc._class as string)?.properties ?? [];
      const caption = world.classes.get(doc._class as string)?.def.caption ?? '';
      const graph = new OwnAttributeGraph(new Map(properties.map((p) => [p.name, p])), caption);
      const object = loadObject(world, c.class, c.objectId, graph);
      const value = compileFormula(c.formula).evaluate(object, { graph });
      expect(encodeValue(value, graph)).toEqual(c.expected);
      if (c.cast_type !== undefined) {
        const cast = value === undefined ? null : castToPropertyType(value, c.cast_type, graph);
        expect(encodeValue(cast, graph)).toEqual(c.expected_cast);
      }
    });
  }
});
