/**
 * The embedded store's SQL narrowing must never lose or invent a document: random documents with
 * values of mixed types, random lookups, compared with a plain scan using the JS matching rules.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { documentMatches, parseFilter } from '../../src/store/filter.ts';
import type { StoredDocument, StoredValue } from '../../src/store/port.ts';
import { valuesEqual } from '../../src/store/values.ts';

const scalar: fc.Arbitrary<StoredValue> = fc.oneof(
  fc.constantFrom('a', 'b', '1', '', 'true', '{"$date":"2020-01-01T00:00:00.000Z"}'),
  fc.constantFrom(0, 1, 2, 1.5, -1),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(new Date('2020-01-01T00:00:00Z'), new Date('2021-06-01T00:00:00Z')),
);
const fieldValue = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) });
const docArb = fc.record({ f: fieldValue, g: fieldValue, _class: fc.constantFrom('x@t', 'y@t') }, { requiredKeys: ['_class'] });
const classes = fc.option(fc.subarray(['x@t', 'y@t']), { nil: null });

async function withStore<T>(docs: StoredDocument[], indexed: boolean, work: (s: ReturnType<typeof openEmbeddedStore>) => Promise<T>): Promise<T> {
  const store = openEmbeddedStore();
  try {
    await store.load('c', docs.map((d, i) => ({ ...d, n: i })));
    if (indexed) {
      await store.ensureIndex('c', 'f');
      await store.ensureIndex('c', 'f', { array: true });
    }
    return await work(store);
  } finally {
    await store.close();
  }
}

const order = (docs: readonly StoredDocument[]) => docs.map((d) => d.n);
const inClasses = (wanted: readonly string[] | null) => (doc: StoredDocument) => wanted === null || wanted.includes(doc._class as string);
/** What findByField on `f` must match: a scalar `f` equal to one of `values`. */
const holdsValue = (values: readonly StoredValue[]) => (doc: StoredDocument) => !Array.isArray(doc.f) && values.some((x) => valuesEqual(doc.f, x));
/** What findByArrayMember on `f` must match: an array `f` with an element equal to one of the non-null `values`. */
function holdsMember(values: readonly StoredValue[]): (doc: StoredDocument) => boolean {
  const present = values.filter((v) => v !== null);
  return (doc) => Array.isArray(doc.f) && doc.f.some((e) => present.some((x) => valuesEqual(e, x)));
}

const ids = fc.constantFrom('k0', 'k1', 'k2', 'k3');
/** One random write to the document `id` of collection `c`; `computed` is a bulkSet of `field`, as a recompute writes. */
type RandomWrite =
  | { readonly op: 'insert' | 'load' | 'set'; readonly id: string; readonly f: StoredValue }
  | { readonly op: 'computed'; readonly id: string; readonly field: 'f' | 'g'; readonly value: StoredValue }
  | { readonly op: 'unset' | 'delete'; readonly id: string };
const writes = {
  insert: fc.record({ op: fc.constant('insert' as const), id: ids, f: fieldValue }),
  load: fc.record({ op: fc.constant('load' as const), id: ids, f: fieldValue }),
  set: fc.record({ op: fc.constant('set' as const), id: ids, f: fieldValue }),
  computed: (field: 'f' | 'g') => fc.record({ op: fc.constant('computed' as const), id: ids, field: fc.constant(field), value: fieldValue }),
  unset: fc.record({ op: fc.constant('unset' as const), id: ids }),
  delete: fc.record({ op: fc.constant('delete' as const), id: ids }),
};

/** Applies `w` to the store and mirrors it in `model`, a plain list of the collection's documents. */
async function applyWrite(store: ReturnType<typeof openEmbeddedStore>, model: StoredDocument[], w: RandomWrite): Promise<void> {
  const match = { id: w.id };
  const target = model.find((d) => d.id === w.id);
  if (w.op === 'insert' || w.op === 'load') {
    const doc = { _class: 'x@t', id: w.id, f: w.f };
    if (w.op === 'insert') await store.insert('c', [{ id: w.id, doc }]);
    else await store.load('c', [doc]);
    model.push({ ...doc });
  } else if (w.op === 'set') {
    await store.update('c', [{ id: w.id, match, set: { f: w.f } }]);
    if (target) target.f = w.f;
  } else if (w.op === 'computed') {
    await store.bulkSet('c', [{ match, set: { [w.field]: w.value } }, { match: { id: 'none' }, set: { [w.field]: 1 } }]);
    if (target) target[w.field] = w.value;
  } else if (w.op === 'unset') {
    await store.update('c', [{ id: w.id, match, unset: ['f'] }]);
    if (target) delete target.f;
  } else {
    await store.delete('c', [{ id: w.id, match }]);
    if (target) model.splice(model.indexOf(target), 1);
  }
}

describe('embedded lookups against a plain scan', () => {
  it('findByField and findByArrayMember', async () => {
    await fc.assert(fc.asyncProperty(fc.array(docArb, { maxLength: 12 }), fc.array(scalar, { minLength: 1, maxLength: 3 }), classes, fc.boolean(),
      async (docs, values, wanted, indexed) => {
        const numbered = docs.map((d, i) => ({ ...d, n: i }));
        await withStore(docs, indexed, async (store) => {
          const byField = numbered.filter(inClasses(wanted)).filter(holdsValue(values));
          expect(order(await store.findByField('c', wanted, 'f', values))).toEqual(order(byField));
          const byMember = numbered.filter(inClasses(wanted)).filter(holdsMember(values));
          expect(order(await store.findByArrayMember('c', wanted, 'f', values))).toEqual(order(byMember));
        });
      }), { numRuns: 400 });
  });

  it('findByFilter', async () => {
    const condition = fc.oneof(scalar, fc.tuple(fc.constantFrom('ne', 'gt', 'gte', 'lt', 'lte'), scalar), fc.tuple(fc.constantFrom('in', 'nin'), fc.array(scalar, { maxLength: 2 })));
    const filter = fc.record({ f: condition, g: condition }, { requiredKeys: [] });
    await fc.assert(fc.asyncProperty(fc.array(docArb, { maxLength: 12 }), filter, classes, fc.boolean(), async (docs, raw, wanted, indexed) => {
      const numbered = docs.map((d, i) => ({ ...d, n: i }));
      const conditions = parseFilter(raw);
      await withStore(docs, indexed, async (store) => {
        const expected = numbered.filter(inClasses(wanted)).filter((d) => documentMatches(d, conditions));
        expect(order(await store.findByFilter('c', wanted, raw))).toEqual(order(expected));
      });
    }), { numRuns: 400 });
  });
});

describe('embedded array index under random writes', () => {
  it('answers membership like a plain scan after any sequence of writes', async () => {
    const write = fc.oneof(writes.insert, writes.computed('f'), writes.unset, writes.delete);
    await fc.assert(fc.asyncProperty(fc.array(write, { maxLength: 12 }), fc.array(scalar, { minLength: 1, maxLength: 2 }), async (sequence, values) => {
      const store = openEmbeddedStore();
      const model: StoredDocument[] = [];
      try {
        await store.ensureIndex('c', 'f', { array: true });
        for (const w of sequence) await applyWrite(store, model, w);
        const expected = model.filter(holdsMember(values));
        const found = await store.findByArrayMember('c', null, 'f', values);
        expect(found.map((d) => d.id)).toEqual(expected.map((d) => d.id));
        expect(found).toEqual(expected);
      } finally {
        await store.close();
      }
    }), { numRuns: 200 });
  });
});

describe('embedded scalar indexes (the keys column) under random writes', () => {
  it('answer lookups like a plain scan after any sequence of writes, the indexes created at any point', async () => {
    const write = fc.oneof(
      writes.insert,
      writes.load,
      writes.set, // an indexed field (a re-pointed reference)
      writes.computed('g'), // a field without index
      writes.unset,
      writes.delete,
    );
    await fc.assert(fc.asyncProperty(fc.array(write, { maxLength: 12 }), fc.nat(12), fc.array(scalar, { minLength: 1, maxLength: 2 }),
      async (sequence, indexAt, values) => {
        const store = openEmbeddedStore();
        const model: StoredDocument[] = [];
        try {
          for (const [i, w] of sequence.entries()) {
            if (i === indexAt) { await store.ensureIndex('c', 'id'); await store.ensureIndex('c', 'f'); }
            await applyWrite(store, model, w);
          }
          if (indexAt >= sequence.length) { await store.ensureIndex('c', 'id'); await store.ensureIndex('c', 'f'); }
          expect(await store.findByField('c', null, 'f', values)).toEqual(model.filter(holdsValue(values)));
          // A field with a scalar index is taken to hold scalars (docs/store.md), so filters are compared without arrays.
          if (!model.some((d) => Array.isArray(d.f))) {
            const first = values[0]!;
            expect(await store.findByFilter('c', null, { f: first })).toEqual(model.filter((d) => documentMatches(d, parseFilter({ f: first }))));
          }
          for (const id of ['k0', 'k1', 'k2', 'k3']) {
            expect(await store.findByField('c', null, 'id', [id])).toEqual(model.filter((d) => d.id === id));
          }
        } finally {
          await store.close();
        }
      }), { numRuns: 300 });
  });
});
