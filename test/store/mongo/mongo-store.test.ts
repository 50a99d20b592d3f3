/**
 * The MongoDB adapter's wiring, without a server: a recording stand-in for the driver's `Db`
 * checks that each port call hands the driver the documents `commands.ts` builds, with the
 * documented options, and maps the driver's answers back.
 */
import { describe, expect, it } from 'vitest';
import type { Db, MongoClient } from 'mongodb';
import { UnsupportedOperationError } from '../../../src/store/errors.ts';
import { MongoStore, openMongoStore } from '../../../src/store/mongo/mongo-store.ts';

type Call = [string, ...unknown[]];

function fakeDriver(answers: { docs?: unknown[]; finds?: unknown[][]; rows?: unknown[]; bulk?: Record<string, number>; one?: unknown; indexes?: unknown[] | Error } = {}) {
  const calls: Call[] = [];
  const cursor = (docs: unknown[]) => {
    const c = {
      sort: (spec: unknown) => { calls.push(['sort', spec]); return c; },
      limit: (n: unknown) => { calls.push(['limit', n]); return c; },
      batchSize: (n: unknown) => { calls.push(['batchSize', n]); return c; },
      toArray: async () => docs,
      close: async () => { calls.push(['cursor.close']); },
      async *[Symbol.asyncIterator]() {
        for (const doc of docs) {
          if (doc instanceof Error) throw doc;
          yield doc;
        }
      },
    };
    return c;
  };
  const collection = (name: string) => ({
    find: (query: unknown) => { calls.push(['find', name, query]); return cursor(answers.finds?.shift() ?? answers.docs ?? []); },
    aggregate: (pipeline: unknown) => { calls.push(['aggregate', name, pipeline]); return cursor(answers.rows ?? []); },
    bulkWrite: async (ops: unknown, options: unknown) => { calls.push(['bulkWrite', name, ops, options]); return answers.bulk ?? {}; },
    insertMany: async (docs: unknown, options: unknown) => { calls.push(['insertMany', name, docs, options]); },
    createIndexes: async (specs: unknown) => { calls.push(['createIndexes', name, specs]); return []; },
    listIndexes: () => {
      calls.push(['listIndexes', name]);
      return { toArray: async () => { if (answers.indexes instanceof Error) throw answers.indexes; return answers.indexes ?? [{ key: { _id: 1 }, name: '_id_' }]; } };
    },
    findOne: async (query: unknown) => { calls.push(['findOne', name, query]); return answers.one ?? null; },
    updateOne: async (filter: unknown, update: unknown, options: unknown) => { calls.push(['updateOne', name, filter, update, options]); },
  });
  const db = {
    collection,
    listCollections: () => ({ toArray: async () => [{ name: 'wb_office' }, { name: 'recalc_checkpoints' }, { name: 'system.views' }, { name: 'wb_hub' }] }),
  } as unknown as Db;
  const client = { close: async () => { calls.push(['client.close']); } } as unknown as MongoClient;
  return { store: new MongoStore(client, db, 'recalc_checkpoints'), calls };
}

describe('MongoStore wiring', () => {
  it('finds by field and array member in storage order', async () => {
    const { store, calls } = fakeDriver({ docs: [{ id: 'o1' }] });
    expect(await store.findByField('wb_office', ['office@wb'], 'id', ['o1'])).toEqual([{ id: 'o1' }]);
    await store.findByArrayMember('wb_hub', null, 'districts', ['d1']);
    expect(await store.findByField('wb_office', null, 'id', [])).toEqual([]);
    expect(calls).toEqual([
      ['find', 'wb_office', { _class: { $in: ['office@wb'] }, id: { $in: ['o1'], $not: { $type: 'array' } } }],
      ['sort', { _id: 1 }],
      ['find', 'wb_hub', { districts: { $in: ['d1'], $type: 'array' } }],
      ['sort', { _id: 1 }],
    ]);
  });

  it('finds by filter with a limit and aggregates into {value, matched} or null', async () => {
    const { store, calls } = fakeDriver({ rows: [{ _id: null, value: 12, matched: 3 }] });
    await store.findByFilter('wb_office', null, { kind: 'b' }, { limit: 1 });
    expect(await store.aggregate('wb_office', null, { kind: 'b' }, 'sum', 'staff')).toEqual({ value: 12, matched: 3 });
    expect(calls.slice(0, 3)).toEqual([['find', 'wb_office', { kind: { $eq: 'b' } }], ['sort', { _id: 1 }], ['limit', 1]]);
    expect(calls[3]).toEqual(['aggregate', 'wb_office', [
      { $match: { kind: { $eq: 'b' } } }, { $group: { _id: null, value: { $sum: '$staff' }, matched: { $sum: 1 } } },
    ]]);
    expect(await fakeDriver({ rows: [] }).store.aggregate('c', null, {}, 'count', 'id')).toBeNull();
  });

  it('writes with ordered bulk writes and counts what the server reports', async () => {
    const { store, calls } = fakeDriver({ bulk: { modifiedCount: 1, deletedCount: 2 } });
    expect(await store.bulkSet('wb_office', [{ match: { id: 'o1' }, set: { total: 1 } }, { match: { id: 'o2' } }])).toBe(1);
    expect(await store.bulkSet('wb_office', [{ match: { id: 'o2' } }])).toBe(0);
    expect(await store.delete('wb_office', [{ id: 'o1', match: { id: 'o1' } }])).toBe(2);
    const doc = { _class: 'office@wb', id: 'o9' };
    await store.insert('wb_office', [{ id: 'o9', doc }]);
    expect(calls).toEqual([
      ['bulkWrite', 'wb_office', [{ updateOne: { filter: { id: { $eq: 'o1' } }, update: { $set: { total: 1 } } } }], { ordered: true }],
      ['bulkWrite', 'wb_office', [{ deleteOne: { filter: { id: { $eq: 'o1' } } } }], { ordered: true }],
      ['insertMany', 'wb_office', [doc], { ordered: true }],
    ]);
    expect((calls[2]![2] as unknown[])[0]).not.toBe(doc); // the driver's _id never lands in the caller's object
    await expect(store.insert('wb_office', [{ id: 'x', doc: { id: 'x' } }])).rejects.toThrow(/_class/);
  });

  it('creates indexes only when asked, lists collections, keeps checkpoints', async () => {
    const { store, calls } = fakeDriver({ one: { _id: 'feed', value: '7' } });
    await store.ensureIndex('wb_hub', 'districts', { array: true });
    expect(await store.listCollections()).toEqual(['wb_hub', 'wb_office']);
    expect(await store.getCheckpoint('feed')).toBe('7');
    await store.setCheckpoint('feed', '8');
    await store.close();
    expect(calls).toEqual([
      ['listIndexes', 'wb_hub'],
      ['createIndexes', 'wb_hub', [{ key: { districts: 1 }, name: 'recalc_districts' }]],
      ['findOne', 'recalc_checkpoints', { _id: 'feed' }],
      ['updateOne', 'recalc_checkpoints', { _id: 'feed' }, { $set: { value: '8' } }, { upsert: true }],
      ['client.close'],
    ]);
  });

  it('does not ask again for an index ION already created under its own name (the server would refuse: IndexOptionsConflict)', async () => {
    const { store, calls } = fakeDriver({ indexes: [{ key: { _id: 1 }, name: '_id_' }, { key: { owner: 1 }, name: 'owner_1' }] });
    await store.ensureIndex('wb_office', 'owner');
    expect(calls).toEqual([['listIndexes', 'wb_office']]);
  });

  it('creates the index of a collection that does not exist yet (listIndexes: NamespaceNotFound), and passes other errors on', async () => {
    const missing = fakeDriver({ indexes: Object.assign(new Error('ns does not exist'), { code: 26 }) });
    await missing.store.ensureIndex('wb_new', 'owner');
    expect(missing.calls).toEqual([['listIndexes', 'wb_new'], ['createIndexes', 'wb_new', [{ key: { owner: 1 }, name: 'recalc_owner' }]]]);
    const failing = fakeDriver({ indexes: Object.assign(new Error('not authorized'), { code: 13 }) });
    await expect(failing.store.ensureIndex('wb_office', 'owner')).rejects.toThrow('not authorized');
  });

  it('scans in batches and closes the cursor', async () => {
    const { store, calls } = fakeDriver({ docs: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    const batches: unknown[] = [];
    for await (const batch of store.scan('c', ['a@x'], { batchSize: 2 })) batches.push(batch);
    expect(batches).toEqual([[{ n: 1 }, { n: 2 }], [{ n: 3 }]]);
    expect(calls).toEqual([['find', 'c', { _class: { $in: ['a@x'] } }], ['sort', { _id: 1 }], ['batchSize', 2], ['cursor.close']]);
  });

  it('a scan whose cursor the server killed while idle (CursorNotFound) reopens after the last _id read', async () => {
    const killed = Object.assign(new Error('cursor id 7 not found'), { code: 43 });
    const { store, calls } = fakeDriver({ finds: [[{ _id: 1 }, { _id: 2 }, { _id: 3 }, killed], [{ _id: 4 }, { _id: 5 }]] });
    const batches: unknown[] = [];
    for await (const batch of store.scan('c', ['a@x'], { batchSize: 2 })) batches.push(batch);
    expect(batches).toEqual([[{ _id: 1 }, { _id: 2 }], [{ _id: 3 }, { _id: 4 }], [{ _id: 5 }]]);
    expect(calls.filter((c) => c[0] === 'find')).toEqual([
      ['find', 'c', { _class: { $in: ['a@x'] } }],
      ['find', 'c', { _class: { $in: ['a@x'] }, _id: { $gt: 3 } }],
    ]);
    expect(calls.filter((c) => c[0] === 'cursor.close')).toHaveLength(2);
  });

  it('a scan passes other errors on, and a CursorNotFound before any progress', async () => {
    const reset = fakeDriver({ finds: [[{ _id: 1 }, new Error('connection reset')]] });
    await expect((async () => { for await (const _ of reset.store.scan('c', null, { batchSize: 5 })); })()).rejects.toThrow('connection reset');
    const early = fakeDriver({ finds: [[Object.assign(new Error('cursor not found'), { code: 43 })]] });
    await expect((async () => { for await (const _ of early.store.scan('c', null)); })()).rejects.toThrow('cursor not found');
  });

  it('says the change feed is not supported yet', async () => {
    const { store } = fakeDriver();
    await expect(store.readChanges(0, 1)).rejects.toBeInstanceOf(UnsupportedOperationError);
    await expect(store.headSequence()).rejects.toThrow(/not supported yet/);
  });

  it('fails to open when no server answers', async () => {
    await expect(openMongoStore({
      url: 'mongodb://127.0.0.1:9/', database: 'x', clientOptions: { serverSelectionTimeoutMS: 200 },
    })).rejects.toThrow();
  });
});
