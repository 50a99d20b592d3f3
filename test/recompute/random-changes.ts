/**
 * Random application changes for the invariant test: op descriptors are plain numbers (so
 * fast-check shrinks them), interpreted against the store's current documents into concrete
 * inserts, updates and deletes of editable attributes (stored scalars, references, id arrays),
 * with values drawn from the data itself, from small per-type pools, dangling links and the odd
 * value of a wrong type.
 */
import fc from 'fast-check';
import type { ClassMeta, MetaModel, PropertyMeta } from '../../src/meta/index.ts';
import { keyValues, objectId } from '../../src/meta/index.ts';
import type { StoredDocument, StorePort } from '../../src/store/index.ts';

export interface OpSeed {
  readonly kind: 'insert' | 'update' | 'delete';
  readonly pick: number;
  readonly attr: number;
  readonly value: number;
  readonly fields: number;
}

export const opSeed: fc.Arbitrary<OpSeed> = fc.record({
  kind: fc.constantFrom('insert', 'update', 'update', 'update', 'delete'),
  pick: fc.nat(1000),
  attr: fc.nat(1000),
  value: fc.nat(1000),
  fields: fc.nat(1 << 16),
});

/** A concrete change, printable. */
export type Op =
  | { op: 'insert'; class: string; id: string; doc: StoredDocument }
  | { op: 'update'; class: string; id: string; set: StoredDocument }
  | { op: 'delete'; class: string; id: string };

const TYPE_POOLS: Record<number, unknown[]> = {
  0: ['', 'a', 'b', 'c', 'Alpha'],
  1: ['', 'text'],
  6: [0, 1, 2, 5, -3],
  7: [0, 1.5, 2.25, -4],
  8: [0, 10.5, 99.995],
  9: [new Date('2023-01-31T00:00:00Z'), new Date('2020-02-29T12:30:00Z')],
  10: [true, false],
};
const JUNK: unknown[] = ['x', 7, true];

/**
 * Attributes an application edits: stored ones, not the key, not a back link — cached values
 * included (an application overwriting one must see it recomputed), non-cached formulas not
 * (they are never stored).
 */
export function editable(cls: ClassMeta): PropertyMeta[] {
  return cls.properties.filter((p) => {
    if (cls.key.includes(p.name) || (p.formula !== undefined && p.formula !== null && !p.cached)) return false;
    const kind = p.link?.kind;
    return kind === undefined || kind === 'reference' || kind === 'idArray' || kind === 'backColl';
  });
}

function pickOf<T>(list: readonly T[], n: number): T {
  return list[n % list.length]!;
}

function targetIds(meta: MetaModel, docs: readonly StoredDocument[], target: string | undefined): unknown[] {
  if (!target) return [];
  const cls = meta.repository.get(target);
  return docs.filter((d) => meta.repository.isA(d._class as string, target)).map((d) => (cls.key.length === 1 ? d[cls.key[0]!] : objectId(cls, d)));
}

function valueFor(meta: MetaModel, docs: readonly StoredDocument[], p: PropertyMeta, n: number): unknown {
  const kind = p.link?.kind;
  if (kind === 'reference') return pickOf([...targetIds(meta, docs, p.link!.target), null, 'dangling-404'], n);
  if (kind === 'idArray' || kind === 'backColl') {
    const ids = [...targetIds(meta, docs, p.link!.target), 'dangling-404'];
    return ids.filter((_, i) => (n >> i) & 1).slice(0, 4);
  }
  const seen = docs.map((d) => d[p.name]).filter((v) => v !== undefined);
  const list = p.selectionList ? [...p.selectionList.keys()] : (TYPE_POOLS[p.type] ?? ['']);
  return pickOf([...list, ...seen, null, ...(n % 17 === 0 ? JUNK : [])], n);
}

let counter = 0;

/** New ids restart for each sequence, so a replayed counterexample names the same objects. */
export function resetIds(): void {
  counter = 0;
}

/** The concrete change a seed means for the current documents (undefined: nothing applicable). */
export function interpret(meta: MetaModel, docs: readonly StoredDocument[], seed: OpSeed): Op | undefined {
  const concrete = meta.repository.list().filter((c) => !c.abstract);
  if (seed.kind === 'insert' || docs.length === 0) {
    const cls = pickOf(concrete, seed.pick);
    const doc: StoredDocument = { _class: cls.canonicalName, _classVer: '' };
    counter++;
    for (const name of cls.key) {
      const type = cls.propertyByName.get(name)?.type;
      doc[name] = type === 6 || type === 7 || type === 8 ? 100000 + counter : `n${counter}`;
    }
    editable(cls).forEach((p, i) => {
      if ((seed.fields >> (i % 16)) & 1) doc[p.name] = valueFor(meta, docs, p, seed.value + i);
    });
    return { op: 'insert', class: cls.canonicalName, id: objectId(cls, doc)!, doc };
  }
  const doc = pickOf(docs, seed.pick);
  const cls = meta.repository.get(doc._class as string);
  const id = objectId(cls, doc)!;
  if (seed.kind === 'delete') return { op: 'delete', class: cls.canonicalName, id };
  const attributes = editable(cls);
  if (attributes.length === 0) return undefined;
  const p = pickOf(attributes, seed.attr);
  return { op: 'update', class: cls.canonicalName, id, set: { [p.name]: valueFor(meta, docs, p, seed.value) } };
}

/** Applies a change through the store as an application does (journaled). */
export async function applyOp(meta: MetaModel, store: StorePort, op: Op): Promise<void> {
  const cls = meta.repository.get(op.class);
  const collection = cls.storage.collection;
  if (op.op === 'insert') return store.insert(collection, [{ id: op.id, doc: op.doc }]);
  const target = { id: op.id, match: keyValues(cls, op.id) };
  if (op.op === 'delete') await store.delete(collection, [target]);
  else await store.update(collection, [{ ...target, set: op.set }]);
}
