/**
 * The storage-port contract: a suite every adapter runs (the embedded store on `:memory:` and on a
 * file, MongoDB when `MONGODB_URL` is set). It checks behaviour through the port only.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Long, ObjectId } from 'bson';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredDocument, StorePort } from '../../src/store/port.ts';
import { exportPath, importPath } from '../../src/store/transfer/import-export.ts';
import { parseDocuments } from '../../src/store/transfer/extended-json.ts';

/** What an adapter under test offers beyond the port's common ground. */
export interface ContractFeatures {
  /** The adapter writes the change journal (`readChanges`). */
  readonly journal: boolean;
}

/** Opens a fresh, empty store; `dispose` closes it and removes whatever it created. */
export type OpenStore = () => Promise<{ store: StorePort; dispose: () => Promise<void> }>;

const HUBS = 'wb_hub';
const OFFICES = 'wb_office';

/** Documents without MongoDB's `_id`, so both adapters compare alike. */
export function plain(docs: readonly StoredDocument[]): StoredDocument[] {
  return docs.map(({ _id, ...rest }) => rest);
}

const ids = (docs: readonly StoredDocument[]) => docs.map((d) => d.id);

function offices(): StoredDocument[] {
  return [
    { _class: 'office@wb', _classVer: '', id: 'o1', kind: 'b', staff: 4, station: 's1', opened: new Date('2020-03-01T10:30:00Z') },
    { _class: 'office@wb', _classVer: '', id: 'o2', kind: 'a', staff: '7', station: 's1' },
    { _class: 'msc@wb', _classVer: '', id: 'o3', kind: 'b', staff: 9, station: 's2', opened: new Date('2021-01-01T00:00:00Z') },
    { _class: 'office@wb', _classVer: '', id: 'o4', kind: ['b', 'c'], staff: null, station: null },
    { _class: 'office@wb', _classVer: '', id: 'o5', kind: 'c', staff: -2, active: true },
    { _class: 'office@wb', _classVer: '', id: 5, kind: 'a', staff: 1, active: 1 },
  ];
}

function hubs(): StoredDocument[] {
  return [
    { _class: 'hub@wb', _classVer: '', id: 'h1', name: 'North', districts: ['d2', 'd1'] },
    { _class: 'hub@wb', _classVer: '', id: 'h2', name: 'South', districts: ['d3'] },
    { _class: 'bigHub@wb', _classVer: '', id: 'h3', name: 'Main', districts: ['d1', 'd3', 'd1'] },
    { _class: 'hub@wb', _classVer: '', id: 'h4', name: 'Empty', districts: [] },
    { _class: 'hub@wb', _classVer: '', id: 'h5', name: 'Scalar', districts: 'd1' },
    { _class: 'hub@wb', _classVer: '', id: 'h6', name: 'Numbers', districts: [1, 2] },
  ];
}

/** Registers the contract suite for one adapter. */
export function describeStoreContract(name: string, open: OpenStore, features: ContractFeatures): void {
  describe(`storage port contract: ${name}`, () => {
    let store: StorePort;
    let dispose: () => Promise<void>;

    beforeEach(async () => {
      ({ store, dispose } = await open());
      await store.load(OFFICES, offices());
      await store.load(HUBS, hubs());
    });
    afterEach(async () => {
      await dispose();
    });

    describe('findByField', () => {
      it('returns documents in storage order, not in the order of the values', async () => {
        expect(ids(await store.findByField(OFFICES, null, 'id', ['o3', 'o1', 'missing']))).toEqual(['o1', 'o3']);
      });

      it('filters by class list', async () => {
        expect(ids(await store.findByField(OFFICES, ['msc@wb'], 'kind', ['b']))).toEqual(['o3']);
        expect(ids(await store.findByField(OFFICES, ['office@wb', 'msc@wb'], 'station', ['s1', 's2']))).toEqual(['o1', 'o2', 'o3']);
        expect(await store.findByField(OFFICES, [], 'id', ['o1'])).toEqual([]);
      });

      it('is type-strict: 5 ≠ "5", 1 ≠ true', async () => {
        expect(ids(await store.findByField(OFFICES, null, 'id', [5]))).toEqual([5]);
        expect(ids(await store.findByField(OFFICES, null, 'id', ['5']))).toEqual([]);
        expect(ids(await store.findByField(OFFICES, null, 'active', [true]))).toEqual(['o5']);
        expect(ids(await store.findByField(OFFICES, null, 'active', [1]))).toEqual([5]);
        expect(ids(await store.findByField(OFFICES, null, 'staff', ['7']))).toEqual(['o2']);
      });

      it('matches null against null and missing fields', async () => {
        expect(ids(await store.findByField(OFFICES, null, 'station', [null]))).toEqual(['o4', 'o5', 5]);
      });

      it('does not look inside arrays, and matches dates by instant', async () => {
        expect(ids(await store.findByField(OFFICES, null, 'kind', ['c']))).toEqual(['o5']);
        expect(ids(await store.findByField(OFFICES, null, 'opened', [new Date('2021-01-01T00:00:00Z')]))).toEqual(['o3']);
      });

      it('answers empty for no values and for an unknown collection', async () => {
        expect(await store.findByField(OFFICES, null, 'id', [])).toEqual([]);
        expect(await store.findByField('wb_nothing', null, 'id', ['o1'])).toEqual([]);
      });

      it('gives the same answers with an index on the field', async () => {
        const before = await store.findByField(OFFICES, ['office@wb'], 'station', ['s1', null]);
        await store.ensureIndex(OFFICES, 'station');
        await store.ensureIndex(OFFICES, 'station');
        expect(plain(await store.findByField(OFFICES, ['office@wb'], 'station', ['s1', null]))).toEqual(plain(before));
        expect(ids(before)).toEqual(['o1', 'o2', 'o4', 'o5', 5]);
      });
    });

    describe('findByArrayMember', () => {
      for (const indexed of [false, true]) {
        describe(indexed ? 'with an array index' : 'without an index', () => {
          beforeEach(async () => {
            if (indexed) await store.ensureIndex(HUBS, 'districts', { array: true });
          });

          it('finds the documents whose array holds a value, once each, in storage order', async () => {
            expect(ids(await store.findByArrayMember(HUBS, null, 'districts', ['d3', 'd1']))).toEqual(['h1', 'h2', 'h3']);
          });

          it('filters by class and ignores scalar fields', async () => {
            expect(ids(await store.findByArrayMember(HUBS, ['hub@wb'], 'districts', ['d1']))).toEqual(['h1']);
            expect(ids(await store.findByArrayMember(HUBS, ['bigHub@wb'], 'districts', ['d1']))).toEqual(['h3']);
          });

          it('is type-strict', async () => {
            expect(ids(await store.findByArrayMember(HUBS, null, 'districts', ['1']))).toEqual([]);
            expect(ids(await store.findByArrayMember(HUBS, null, 'districts', [2]))).toEqual(['h6']);
          });

          it('follows writes to the array', async () => {
            await store.bulkSet(HUBS, [{ match: { id: 'h2' }, set: { districts: ['d1'] } }, { match: { id: 'h1' }, unset: ['districts'] }]);
            await store.insert(HUBS, [{ id: 'h7', doc: { _class: 'hub@wb', id: 'h7', districts: ['d1'] } }]);
            await store.delete(HUBS, [{ id: 'h3', match: { id: 'h3' } }]);
            expect(ids(await store.findByArrayMember(HUBS, null, 'districts', ['d1']))).toEqual(['h2', 'h7']);
            expect(ids(await store.findByArrayMember(HUBS, null, 'districts', ['d3']))).toEqual([]);
          });
        });
      }
    });

    describe('aggregate', () => {
      const agg = (filter: Record<string, unknown>, fn: 'count' | 'sum' | 'avg' | 'max' | 'min' | 'merge', field = 'staff', classes: readonly string[] | null = null) =>
        store.aggregate(OFFICES, classes, filter, fn, field);

      it('computes every function with $group semantics', async () => {
        expect(await agg({}, 'count')).toEqual({ value: 6, matched: 6 });
        expect(await agg({}, 'sum')).toEqual({ value: 12, matched: 6 }); // "7" and null ignored
        expect(await agg({}, 'avg')).toEqual({ value: 3, matched: 6 });
        expect(await agg({}, 'max')).toEqual({ value: '7', matched: 6 }); // strings sort above numbers
        expect(await agg({}, 'min')).toEqual({ value: -2, matched: 6 });
        expect(await agg({}, 'merge')).toEqual({ value: [4, '7', 9, -2, 1], matched: 6 });
        expect(await agg({}, 'max', 'opened')).toEqual({ value: new Date('2021-01-01T00:00:00Z'), matched: 6 });
      });

      it('answers null when nothing matched, and empty accumulations otherwise', async () => {
        expect(await agg({ kind: 'zzz' }, 'count')).toBeNull();
        expect(await agg({}, 'count', 'staff', [])).toBeNull();
        expect(await agg({ id: 'o4' }, 'sum')).toEqual({ value: 0, matched: 1 });
        expect(await agg({ id: 'o4' }, 'avg')).toEqual({ value: null, matched: 1 });
        expect(await agg({ id: 'o4' }, 'max')).toEqual({ value: null, matched: 1 });
        expect(await agg({ id: 'o4' }, 'merge')).toEqual({ value: [], matched: 1 });
      });

      it('matches equality type-strictly and through array fields', async () => {
        expect(await agg({ kind: 'b' }, 'merge', 'id')).toEqual({ value: ['o1', 'o3', 'o4'], matched: 3 });
        expect(await agg({ kind: 'b' }, 'count', 'id', ['office@wb'])).toEqual({ value: 2, matched: 2 });
        expect(await agg({ id: '5' }, 'count')).toBeNull();
        expect(await agg({ station: null }, 'merge', 'id')).toEqual({ value: ['o4', 'o5', 5], matched: 3 });
      });

      it('applies operator pairs, AND-ed', async () => {
        const merged = async (filter: Record<string, unknown>) => (await agg(filter, 'merge', 'id'))?.value ?? null;
        expect(await merged({ staff: ['gt', 1] })).toEqual(['o1', 'o3']);
        expect(await merged({ staff: ['gte', 1] })).toEqual(['o1', 'o3', 5]);
        expect(await merged({ staff: ['lt', 4] })).toEqual(['o5', 5]);
        expect(await merged({ staff: ['lte', 4], kind: 'c' })).toEqual(['o5']);
        expect(await merged({ kind: ['ne', 'b'] })).toEqual(['o2', 'o5', 5]);
        expect(await merged({ kind: ['in', ['a', 'c']] })).toEqual(['o2', 'o4', 'o5', 5]);
        expect(await merged({ kind: ['nin', ['a', 'c']] })).toEqual(['o1', 'o3']);
        expect(await merged({ kind: ['eq', 'a'] })).toEqual(['o2', 5]);
        expect(await merged({ opened: ['gt', new Date('2020-06-01T00:00:00Z')] })).toEqual(['o3']);
        expect(await merged({ staff: ['gt', '1'] })).toEqual(['o2']);
      });

      it('narrows through indexes without changing the answer', async () => {
        await store.ensureIndex(OFFICES, 'kind');
        await store.ensureIndex(OFFICES, 'kind', { array: true });
        expect(await agg({ kind: 'b' }, 'merge', 'id')).toEqual({ value: ['o1', 'o3', 'o4'], matched: 3 });
        expect(await agg({ kind: 'b', staff: ['gt', 5] }, 'sum')).toEqual({ value: 9, matched: 1 });
      });
    });

    describe('findByFilter', () => {
      it('returns the matching documents in storage order, up to a limit', async () => {
        expect(ids(await store.findByFilter(OFFICES, null, { kind: 'b' }))).toEqual(['o1', 'o3', 'o4']);
        expect(ids(await store.findByFilter(OFFICES, ['office@wb'], { kind: 'b', station: 's1' }))).toEqual(['o1']);
        expect(ids(await store.findByFilter(OFFICES, null, { staff: ['gte', 1] }, { limit: 2 }))).toEqual(['o1', 'o3']);
        expect(ids(await store.findByFilter(OFFICES, null, {}, { limit: 0 }))).toEqual([]);
        expect(ids(await store.findByFilter(OFFICES, null, { id: '5' }))).toEqual([]);
        expect(ids(await store.findByFilter('wb_nothing', null, { id: 'o1' }))).toEqual([]);
      });

      it('gives the same answers narrowed by an index', async () => {
        await store.ensureIndex(OFFICES, 'station');
        expect(ids(await store.findByFilter(OFFICES, null, { station: 's1', kind: ['ne', 'a'] }))).toEqual(['o1']);
        expect(ids(await store.findByFilter(OFFICES, null, { station: null }))).toEqual(['o4', 'o5', 5]);
        expect(ids(await store.findByFilter(OFFICES, ['office@wb'], { station: 's1' }))).toEqual(['o1', 'o2']);
        expect(await store.aggregate(OFFICES, ['msc@wb'], { station: 's2' }, 'sum', 'staff')).toEqual({ value: 9, matched: 1 });
      });
    });

    describe('bulkSet', () => {
      it('sets and unsets only the named fields, leaving the others as they were', async () => {
        const changed = await store.bulkSet(OFFICES, [
          { match: { id: 'o1' }, set: { total: 12.5, staff: 5 }, unset: ['opened'] },
          { match: { id: 5 }, set: { title: 'five' } },
        ]);
        expect(changed).toBe(2);
        const [o1, o5] = plain(await store.findByField(OFFICES, null, 'id', ['o1', 5]));
        expect(o1).toEqual({ _class: 'office@wb', _classVer: '', id: 'o1', kind: 'b', staff: 5, station: 's1', total: 12.5 });
        expect(o5).toEqual({ _class: 'office@wb', _classVer: '', id: 5, kind: 'a', staff: 1, active: 1, title: 'five' });
        expect(ids(await store.findByField(OFFICES, null, 'id', ['o2', 'o3', 'o4', 'o5']))).toEqual(['o2', 'o3', 'o4', 'o5']);
      });

      it('counts only documents that changed', async () => {
        expect(await store.bulkSet(OFFICES, [{ match: { id: 'o1' }, set: { staff: 4, kind: 'b' } }])).toBe(0);
        expect(await store.bulkSet(OFFICES, [{ match: { id: 'nobody' }, set: { staff: 1 } }])).toBe(0);
        expect(await store.bulkSet(OFFICES, [{ match: { id: '5' }, set: { staff: 1 } }])).toBe(0);
        expect(await store.bulkSet(OFFICES, [])).toBe(0);
      });

      it('stores values of every kind and reads them back equal', async () => {
        const values = {
          date: new Date('1969-07-20T20:17:40.000Z'), dates: [new Date('2024-02-29T00:00:00Z')], nested: { at: new Date(0), n: [1, 'x', null] },
          int: 3, real: 0.1, text: 'Текст "quoted"', flag: false, nothing: null, list: ['a', 'b'],
        };
        await store.bulkSet(OFFICES, [{ match: { id: 'o2' }, set: values }]);
        const [o2] = plain(await store.findByField(OFFICES, null, 'id', ['o2']));
        expect(o2).toMatchObject(values);
        expect((o2!.date as Date).getTime()).toBe(values.date.getTime());
        expect(o2!.date).toBeInstanceOf(Date);
        expect(ids(await store.findByField(OFFICES, null, 'date', [new Date('1969-07-20T20:17:40.000Z')]))).toEqual(['o2']);
      });
    });

    describe('application writes', () => {
      it('insert, update and delete change what lookups see', async () => {
        await store.insert(OFFICES, [{ id: 'o9', doc: { _class: 'msc@wb', id: 'o9', kind: 'b', staff: 3 } }]);
        expect(await store.update(OFFICES, [{ id: 'o9', match: { id: 'o9' }, set: { staff: 30 }, unset: ['kind'] }])).toBe(1);
        expect(await store.update(OFFICES, [{ id: 'o9', match: { id: 'o9' }, set: { staff: 30 } }])).toBe(0);
        expect(plain(await store.findByField(OFFICES, ['msc@wb'], 'id', ['o9']))).toEqual([{ _class: 'msc@wb', id: 'o9', staff: 30 }]);
        expect(await store.delete(OFFICES, [{ id: 'o9', match: { id: 'o9' } }, { id: 'none', match: { id: 'none' } }])).toBe(1);
        expect(await store.findByField(OFFICES, null, 'id', ['o9'])).toEqual([]);
      });

      it('a batch with a bad document writes nothing at all', async () => {
        const head = features.journal ? await store.headSequence() : 0;
        await expect(store.insert(OFFICES, [
          { id: 'ok', doc: { _class: 'office@wb', id: 'ok' } },
          { id: 'bad', doc: { id: 'bad' } },
        ])).rejects.toThrow(/_class/);
        expect(await store.findByField(OFFICES, null, 'id', ['ok', 'bad'])).toEqual([]);
        if (features.journal) expect(await store.headSequence()).toBe(head);
      });

      it('scans in storage order, in batches, by class', async () => {
        const batches: StoredDocument[][] = [];
        for await (const batch of store.scan(OFFICES, ['office@wb'], { batchSize: 2 })) batches.push(batch);
        expect(batches.map(ids)).toEqual([['o1', 'o2'], ['o4', 'o5'], [5]]);
        const all: StoredDocument[] = [];
        for await (const batch of store.scan(OFFICES, null)) all.push(...batch);
        expect(ids(all)).toEqual(['o1', 'o2', 'o3', 'o4', 'o5', 5]);
      });

      it('lists its collections', async () => {
        expect(await store.listCollections()).toEqual([HUBS, OFFICES]);
      });
    });

    if (features.journal) {
      describe('change journal', () => {
        it('records inserts, updates and deletes with changed fields and old values', async () => {
          const start = await store.headSequence();
          await store.insert(OFFICES, [{ id: 'o9', doc: { _class: 'msc@wb', id: 'o9', station: 's1' } }]);
          await store.update(OFFICES, [
            { id: 'o9', match: { id: 'o9' }, set: { station: 's2', staff: 2 }, unset: ['gone'] },
            { id: 'o9', match: { id: 'o9' }, set: { station: 's2' } },
          ]);
          await store.delete(OFFICES, [{ id: 'o9', match: { id: 'o9' } }]);
          const records = await store.readChanges(start, 100);
          expect(records.map(({ seq, time, ...rest }) => rest)).toEqual([
            { collection: OFFICES, className: 'msc@wb', id: 'o9', op: 'insert', changedFields: ['_class', 'id', 'station'], oldValues: {}, computed: false },
            { collection: OFFICES, className: 'msc@wb', id: 'o9', op: 'update', changedFields: ['station', 'staff'], oldValues: { station: 's1', staff: null }, computed: false },
            { collection: OFFICES, className: 'msc@wb', id: 'o9', op: 'delete', changedFields: ['_class', 'id', 'station', 'staff'], oldValues: { _class: 'msc@wb', id: 'o9', station: 's2', staff: 2 }, computed: false },
          ]);
          expect(records.map((r) => r.seq)).toEqual([start + 1, start + 2, start + 3]);
          expect(records[0]!.time).toBeInstanceOf(Date);
          expect(await store.headSequence()).toBe(start + 3);
          expect((await store.readChanges(start + 1, 1)).map((r) => r.op)).toEqual(['update']);
        });

        it('marks recompute writes as computed, keeps old dates, and can leave them out', async () => {
          const start = await store.headSequence();
          await store.bulkSet(OFFICES, [{ match: { id: 'o1' }, set: { opened: new Date('2022-01-01T00:00:00Z') } }]);
          await store.bulkSet(OFFICES, [{ match: { id: 'o2' }, set: { total: 1 }, id: 'custom' }], { journal: false });
          const records = await store.readChanges(start, 10);
          expect(records).toHaveLength(1);
          expect(records[0]).toMatchObject({ id: 'o1', op: 'update', computed: true, changedFields: ['opened'], oldValues: { opened: new Date('2020-03-01T10:30:00Z') } });
          expect(plain(await store.findByField(OFFICES, null, 'id', ['o2']))[0]).toMatchObject({ total: 1 });
        });
      });
    }

    describe('checkpoints', () => {
      it('stores, replaces and reads named checkpoints', async () => {
        expect(await store.getCheckpoint('feed')).toBeNull();
        await store.setCheckpoint('feed', '12');
        await store.setCheckpoint('other', '{"token":1}');
        await store.setCheckpoint('feed', '15');
        expect(await store.getCheckpoint('feed')).toBe('15');
        expect(await store.getCheckpoint('other')).toBe('{"token":1}');
      });
    });

    describe('import and export', () => {
      let dir: string;
      beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), 'store-contract-'));
      });
      afterEach(() => {
        rmSync(dir, { recursive: true, force: true });
      });

      const exported = [
        '{"_id":{"$oid":"5f1d7f8e9a1b2c3d4e5f6a7b"},"_class":"station@wb","_classVer":"","id":"s1","opened":{"$date":"2019-05-01T08:00:00Z"},"big":{"$numberLong":"9007199254740993"},"n":{"$numberLong":"42"}}',
        '',
        '{"_class":"station@wb","_classVer":"","id":"s2","opened":{"$date":{"$numberLong":"-86400000"}},"offices":["o1","o3"]}',
      ].join('\n');

      it('imports mongoexport lines and exports them back to the same documents', async () => {
        const source = join(dir, 'stations.json');
        writeFileSync(source, exported);
        const count = await importPath(store, source, { collectionOf: () => 'wb_station' });
        expect(count).toBe(2);
        const [s1, s2] = await store.findByField('wb_station', null, 'id', ['s1', 's2']);
        expect(s1!.opened).toEqual(new Date('2019-05-01T08:00:00Z'));
        expect(s1!.n).toBe(42);
        expect(String(s1!.big)).toBe('9007199254740993');
        expect(s2!.opened).toEqual(new Date(-86_400_000));
        for (const format of ['lines', 'array'] as const) {
          const target = join(dir, `out-${format}.json`);
          expect(await exportPath(store, target, { collections: ['wb_station'], format })).toBe(2);
          const again = parseDocuments(readFileSync(target, 'utf8'));
          expect(plain(again)).toEqual(plain(parseDocuments(exported)));
        }
        expect(s1!._id).toEqual(new ObjectId('5f1d7f8e9a1b2c3d4e5f6a7b'));
        expect(s1!.big).toEqual(Long.fromString('9007199254740993'));
      });

      it('imports an array and a folder of ION data files, each to its collection', async () => {
        writeFileSync(join(dir, 'b@wb@2.json'), JSON.stringify({ _class: 'b@wb', id: 2, at: { $date: '2020-01-01T00:00:00.000Z' } }, null, 2));
        writeFileSync(join(dir, 'a@wb@1.json'), JSON.stringify([{ _class: 'a@wb', id: 1 }, { _class: 'b@wb', id: 3 }]));
        writeFileSync(join(dir, 'notes.txt'), 'ignored');
        const collectionOf = (doc: StoredDocument) => `wb_${String(doc._class).split('@')[0]}`;
        expect(await importPath(store, dir, { collectionOf, batchSize: 1 })).toBe(3);
        expect(ids(await store.findByField('wb_b', null, 'id', [2, 3]))).toEqual([3, 2]);
        expect((await store.findByField('wb_b', null, 'id', [2]))[0]!.at).toEqual(new Date('2020-01-01T00:00:00Z'));
        expect(ids(await store.findByField('wb_a', ['a@wb'], 'id', [1]))).toEqual([1]);
      });

      if (features.journal) {
        it('journals imported documents as inserts when given their ids', async () => {
          const start = await store.headSequence();
          const source = join(dir, 'one.json');
          writeFileSync(source, '{"_class":"a@wb","id":"a1"}');
          await importPath(store, source, { collectionOf: () => 'wb_a', idOf: (doc) => String(doc.id) });
          expect((await store.readChanges(start, 10)).map((r) => [r.op, r.id])).toEqual([['insert', 'a1']]);
        });
      }
    });
  });
}
