import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';
import { describeStoreContract } from './contract.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'embedded-store-'));
}

describeStoreContract('embedded, :memory:', async () => {
  const store = openEmbeddedStore();
  return { store, dispose: () => store.close() };
}, { journal: true });

describeStoreContract('embedded, temp file', async () => {
  const dir = tempDir();
  const store = openEmbeddedStore({ path: join(dir, 'store.db') });
  return { store, dispose: async () => { await store.close(); rmSync(dir, { recursive: true, force: true }); } };
}, { journal: true });

describe('embedded store on a shared file', () => {
  let dir: string;
  let path: string;
  let first: EmbeddedStore;
  let second: EmbeddedStore;

  beforeEach(() => {
    dir = tempDir();
    path = join(dir, 'shared.db');
    first = openEmbeddedStore({ path });
    second = openEmbeddedStore({ path });
  });
  afterEach(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode', () => {
    expect(first.database.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('lets two connections see each other\'s documents, journal rows and checkpoints', async () => {
    await first.insert('wc_doc', [{ id: 'd1', doc: { _class: 'doc@wc', id: 'd1', owner: 'p1' } }]);
    expect(await second.findByField('wc_doc', null, 'id', ['d1'])).toEqual([{ _class: 'doc@wc', id: 'd1', owner: 'p1' }]);
    await second.update('wc_doc', [{ id: 'd1', match: { id: 'd1' }, set: { owner: 'p2' } }]);
    expect((await first.findByField('wc_doc', null, 'owner', ['p2'])).length).toBe(1);
    expect((await first.readChanges(0, 10)).map((r) => [r.seq, r.op])).toEqual([[1, 'insert'], [2, 'update']]);
    await second.setCheckpoint('feed', '2');
    expect(await first.getCheckpoint('feed')).toBe('2');
    expect(await first.listCollections()).toEqual(['wc_doc']);
  });

  it('keeps an array index created by one connection up to date for writes of the other', async () => {
    await first.load('wb_hub', [{ _class: 'hub@wb', id: 'h1', districts: ['d1'] }]);
    await second.ensureIndex('wb_hub', 'districts', { array: true });
    await first.insert('wb_hub', [{ id: 'h2', doc: { _class: 'hub@wb', id: 'h2', districts: ['d2', 'd1'] } }]);
    await first.bulkSet('wb_hub', [{ match: { id: 'h1' }, set: { districts: ['d3'] } }]);
    const side = second.database.prepare('SELECT value, row FROM "arr:wb_hub:districts" ORDER BY row, value').all();
    expect(side).toEqual([{ value: 'd3', row: 1 }, { value: 'd1', row: 2 }, { value: 'd2', row: 2 }]);
    expect((await second.findByArrayMember('wb_hub', null, 'districts', ['d1'])).map((d) => d.id)).toEqual(['h2']);
  });

  it('keeps documents after reopening the file', async () => {
    await first.insert('wa_sample', [{ id: 'x1', doc: { _class: 'sample@wa', id: 'x1', at: new Date('2023-07-10T06:00:00Z') } }]);
    await first.close();
    first = openEmbeddedStore({ path });
    const [x1] = await first.findByField('wa_sample', ['sample@wa'], 'id', ['x1']);
    expect(x1!.at).toEqual(new Date('2023-07-10T06:00:00Z'));
    expect(await first.headSequence()).toBe(1);
  });
});

describe('embedded store query plans', () => {
  let store: EmbeddedStore;
  const plan = (sql: string, ...params: unknown[]) =>
    (store.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join('\n');

  beforeEach(async () => {
    store = openEmbeddedStore();
    await store.load('wb_hub', [{ _class: 'hub@wb', id: 'h1', districts: ['d1'] }]);
    await store.ensureIndex('wb_hub', 'id');
    await store.ensureIndex('wb_hub', 'districts', { array: true });
  });
  afterEach(() => store.close());

  it('looks fields up through the expression index and array members through the side table', () => {
    // The statements the store prepares, as its reads build them.
    const byField = plan(`SELECT json(doc) AS doc FROM "doc:wb_hub" WHERE (json_extract(keys, '$."id"') IN (SELECT value FROM json_each(?)))
      AND class IN (SELECT value FROM json_each(?)) ORDER BY rowid`, '["h1"]', '["hub@wb"]');
    expect(byField).toMatch(/USING INDEX ix:wb_hub:id/);
    const byMember = plan(`SELECT json(doc) AS doc FROM "doc:wb_hub" WHERE rowid IN (SELECT row FROM "arr:wb_hub:districts"
      WHERE value IN (SELECT value FROM json_each(?))) ORDER BY rowid`, '["d1"]');
    expect(byMember).toMatch(/USING (COVERING )?INDEX arr:wb_hub:districts:value/);
    expect(byMember).toMatch(/USING INTEGER PRIMARY KEY/);
    const target = plan(`SELECT rowid AS row, json(doc) AS doc FROM "doc:wb_hub" WHERE json_extract(keys, '$."id"') = json_extract(?, '$') ORDER BY rowid`, '"h1"');
    expect(target).toMatch(/USING INDEX ix:wb_hub:id/);
  });

  it('prepares exactly those statements (the plan test checks the real SQL)', async () => {
    const seen: string[] = [];
    const prepare = store.database.prepare.bind(store.database);
    store.database.prepare = ((sql: string) => { seen.push(sql); return prepare(sql); }) as typeof store.database.prepare;
    await store.findByField('wb_hub', ['hub@wb'], 'id', ['h1']);
    await store.findByArrayMember('wb_hub', null, 'districts', ['d1']);
    await store.bulkSet('wb_hub', [{ match: { id: 'h1' }, set: { n: 1 } }]);
    await store.bulkSet('wb_hub', [{ match: { id: 'h1' }, set: { n: 2 } }, { match: { id: 'h2' }, set: { n: 2 } }]);
    const compact = (sql: string) => sql.replace(/\s+/g, ' ');
    expect(seen.map(compact)).toEqual(expect.arrayContaining([
      compact(`SELECT json(doc) AS doc FROM "doc:wb_hub" WHERE (json_extract(keys, '$."id"') IN (SELECT value FROM json_each(?))) AND class IN (SELECT value FROM json_each(?)) ORDER BY rowid`),
      compact(`SELECT json(doc) AS doc FROM "doc:wb_hub" WHERE rowid IN (SELECT row FROM "arr:wb_hub:districts" WHERE value IN (SELECT value FROM json_each(?))) ORDER BY rowid`),
      compact(`SELECT rowid AS row, json(doc) AS doc FROM "doc:wb_hub" WHERE json_extract(keys, '$."id"') = json_extract(?, '$') ORDER BY rowid`),
      compact(`SELECT rowid AS row, json(doc) AS doc FROM "doc:wb_hub" WHERE (json_extract(keys, '$."id"') IN (SELECT value FROM json_each(?))) ORDER BY rowid`),
    ]));
    const batchTargets = plan(`SELECT rowid AS row, json(doc) AS doc FROM "doc:wb_hub" WHERE (json_extract(keys, '$."id"') IN (SELECT value FROM json_each(?))) ORDER BY rowid`, '["h1"]');
    expect(batchTargets).toMatch(/USING INDEX ix:wb_hub:id/);
  });
});

describe('embedded store write batches', () => {
  let store: EmbeddedStore;
  beforeEach(async () => {
    store = openEmbeddedStore();
    await store.load('wc_doc', [{ _class: 'doc@wc', id: 'd1', total: 1 }, { _class: 'doc@wc', id: 'd2', total: 2 }]);
  });
  afterEach(() => store.close());

  it('rolls a whole update batch back, journal included, when one edit fails', async () => {
    await expect(store.update('wc_doc', [
      { id: 'd1', match: { id: 'd1' }, set: { total: 10 } },
      { id: 'd2', match: { id: 'd2' }, set: { 'bad.name': 1 } },
    ])).rejects.toThrow(/invalid field/);
    expect((await store.findByField('wc_doc', null, 'id', ['d1']))[0]!.total).toBe(1);
    expect(await store.headSequence()).toBe(0);
  });

  it('prunes the journal without ever reusing a sequence number', async () => {
    await store.update('wc_doc', [{ id: 'd1', match: { id: 'd1' }, set: { total: 7 } }, { id: 'd2', match: { id: 'd2' }, set: { total: 8 } }]);
    expect(await store.pruneChanges(2)).toBe(2);
    expect(await store.readChanges(0, 10)).toEqual([]);
    expect(await store.headSequence()).toBe(2);
    await store.update('wc_doc', [{ id: 'd1', match: { id: 'd1' }, set: { total: 9 } }]);
    expect((await store.readChanges(0, 10)).map((r) => r.seq)).toEqual([3]);
    expect(await store.headSequence()).toBe(3);
  });

  it('applies several edits of one document in one batch in order, journaling each', async () => {
    await store.ensureIndex('wc_doc', 'id');
    expect(await store.bulkSet('wc_doc', [
      { match: { id: 'd1' }, set: { total: 5 } },
      { match: { id: 'd2' }, set: { total: 2 } },
      { match: { id: 'd1' }, set: { total: 6, title: 'x' } },
    ])).toBe(2);
    expect((await store.findByField('wc_doc', null, 'id', ['d1']))[0]).toEqual({ _class: 'doc@wc', id: 'd1', total: 6, title: 'x' });
    const records = await store.readChanges(0, 10);
    expect(records.map((r) => [r.id, r.changedFields, r.oldValues])).toEqual([
      ['d1', ['total'], { total: 1 }],
      ['d1', ['total', 'title'], { total: 5, title: null }],
    ]);
  });
});

describe('createLookupIndexes', () => {
  it('creates the requested scalar and array indexes, idempotently', async () => {
    const { createLookupIndexes } = await import('../../src/store/index.ts');
    const store = openEmbeddedStore();
    try {
      const requests = [{ collection: 'wb_hub', field: 'id' }, { collection: 'wb_hub', field: 'districts', array: true }];
      await createLookupIndexes(store, requests);
      await createLookupIndexes(store, requests);
      const names = (store.database.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%wb_hub%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
      expect(names).toEqual(expect.arrayContaining(['ix:wb_hub:id', 'arr:wb_hub:districts', 'doc:wb_hub']));
    } finally {
      await store.close();
    }
  });
});
