/**
 * The embedded store's `keys` column: indexed fields copied out of the document so that writes
 * of other fields touch no index; kept right by every kind of write, by index creation on stored
 * data, across connections, and filled in when a file of the previous layout is opened.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded/embedded-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'embedded-schema-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The `keys` column of every row, as JSON text, in storage order. */
function keysColumn(store: EmbeddedStore, collection: string): (string | null)[] {
  return store.database.prepare(`SELECT json(keys) FROM "doc:${collection}" ORDER BY rowid`).pluck().all() as (string | null)[];
}

/** Runs `work` and returns the UPDATE statements the store prepared meanwhile. */
async function updatesPrepared(store: EmbeddedStore, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const prepare = store.database.prepare.bind(store.database);
  store.database.prepare = ((sql: string) => { seen.push(sql); return prepare(sql); }) as typeof store.database.prepare;
  try {
    await work();
  } finally {
    store.database.prepare = prepare as typeof store.database.prepare;
  }
  return seen.filter((sql) => sql.startsWith('UPDATE "doc:'));
}

/** The VDBE opcodes that write index entries, in the program SQLite compiles for `sql`. */
function indexWrites(store: EmbeddedStore, sql: string): string[] {
  const parameters = sql.split('?').length - 1;
  const program = store.database.prepare(`EXPLAIN ${sql}`).all(...Array<null>(parameters).fill(null)) as { opcode: string }[];
  return program.map((op) => op.opcode).filter((op) => op === 'IdxInsert' || op === 'IdxDelete');
}

describe('the keys column', () => {
  let store: EmbeddedStore;
  beforeEach(async () => {
    store = openEmbeddedStore({ path: join(dir, 'store.db') });
    await store.load('wl_line', [
      { _class: 'line@wl', id: 'l1', order: 'o1', product: 'p1', qty: 2 },
      { _class: 'line@wl', id: 'l2', order: 'o1', product: 'p2', qty: 3 },
    ]);
    for (const field of ['id', 'order', 'product']) await store.ensureIndex('wl_line', field);
  });
  afterEach(() => store.close());

  it('holds the indexed fields of documents stored before the index was created', () => {
    expect(keysColumn(store, 'wl_line').map((k) => JSON.parse(k!))).toEqual([
      { id: 'l1', order: 'o1', product: 'p1' },
      { id: 'l2', order: 'o1', product: 'p2' },
    ]);
  });

  it('is left alone by a computed write, whose UPDATE writes no index entry', async () => {
    const before = keysColumn(store, 'wl_line');
    const updates = await updatesPrepared(store, () => store.bulkSet('wl_line', [
      { match: { id: 'l1' }, set: { amount: 20 } },
      { match: { id: 'l2' }, set: { amount: 30, note: { text: 'x' } } }, // an object: the whole-document path
    ]));
    expect(keysColumn(store, 'wl_line')).toEqual(before);
    expect(updates.length).toBeGreaterThan(0);
    for (const sql of updates) {
      expect(sql).not.toMatch(/\bkeys\b/);
      expect(indexWrites(store, sql)).toEqual([]);
    }
    expect((await store.findByField('wl_line', null, 'id', ['l2']))[0]).toMatchObject({ amount: 30, note: { text: 'x' } });
  });

  it('follows an update of an indexed field: found by the new value, not by the old', async () => {
    const updates = await updatesPrepared(store, () =>
      store.update('wl_line', [{ id: 'l1', match: { id: 'l1' }, set: { product: 'p2', qty: 5 } }]));
    expect(updates.some((sql) => indexWrites(store, sql).length > 0)).toBe(true); // this one must update the indexes
    expect(JSON.parse(keysColumn(store, 'wl_line')[0]!)).toEqual({ id: 'l1', order: 'o1', product: 'p2' });
    expect((await store.findByField('wl_line', null, 'product', ['p1'])).map((d) => d.id)).toEqual([]);
    expect((await store.findByField('wl_line', null, 'product', ['p2'])).map((d) => d.id)).toEqual(['l1', 'l2']);
    expect((await store.findByFilter('wl_line', null, { product: 'p1' })).map((d) => d.id)).toEqual([]);
    expect((await store.findByFilter('wl_line', null, { product: 'p2', qty: 5 })).map((d) => d.id)).toEqual(['l1']);
    // A write matching on the re-pointed field finds the document under its new value only.
    expect(await store.bulkSet('wl_line', [{ match: { product: 'p1' }, set: { amount: 1 } }])).toBe(0);
    expect(await store.bulkSet('wl_line', [{ match: { product: 'p2' }, set: { amount: 1 } }])).toBe(1);
  });

  it('drops an unset indexed field and keeps a null one (both read as null, as in the document)', async () => {
    await store.update('wl_line', [
      { id: 'l1', match: { id: 'l1' }, unset: ['order'] },
      { id: 'l2', match: { id: 'l2' }, set: { order: null } },
    ]);
    expect(keysColumn(store, 'wl_line').map((k) => JSON.parse(k!))).toEqual([
      { id: 'l1', product: 'p1' },
      { id: 'l2', order: null, product: 'p2' },
    ]);
    expect((await store.findByField('wl_line', null, 'order', ['o1'])).map((d) => d.id)).toEqual([]);
    expect((await store.findByField('wl_line', null, 'order', [null])).map((d) => d.id)).toEqual(['l1', 'l2']);
  });

  it('is written by inserts and loads, and deleted rows leave no entries behind', async () => {
    await store.insert('wl_line', [{ id: 'l3', doc: { _class: 'line@wl', id: 'l3', order: 'o2', product: 'p1', qty: 1, at: new Date('2024-01-01T00:00:00Z') } }]);
    await store.load('wl_line', [{ _class: 'line@wl', id: 'l4', qty: 1 }]);
    await store.ensureIndex('wl_line', 'at');
    expect(keysColumn(store, 'wl_line').slice(2).map((k) => k && JSON.parse(k))).toEqual([
      { at: { $date: '2024-01-01T00:00:00.000Z' }, id: 'l3', order: 'o2', product: 'p1' },
      { id: 'l4' },
    ]);
    expect((await store.findByField('wl_line', null, 'at', [new Date('2024-01-01T00:00:00Z')])).map((d) => d.id)).toEqual(['l3']);
    await store.delete('wl_line', [{ id: 'l1', match: { id: 'l1' } }]);
    expect((await store.findByField('wl_line', null, 'product', ['p1'])).map((d) => d.id)).toEqual(['l3']);
    const entries = store.database.prepare(`SELECT count(*) FROM "doc:wl_line" INDEXED BY "ix:wl_line:product" WHERE json_extract(keys, '$."product"') IS NOT NULL`).pluck().get();
    expect(entries).toBe(2);
  });

  it('is moved with the class when an update changes _class', async () => {
    await store.update('wl_line', [{ id: 'l1', match: { id: 'l1' }, set: { _class: 'special@wl', product: 'p3' } }]);
    expect((await store.findByField('wl_line', ['special@wl'], 'product', ['p3'])).map((d) => d.id)).toEqual(['l1']);
    expect((await store.findByField('wl_line', ['line@wl'], 'product', ['p1'])).map((d) => d.id)).toEqual([]);
  });

  it('tells apart index names that two collections could share ("ix:a:b:f": field "b:f" of "a", field "f" of "a:b")', async () => {
    await store.load('wa', [{ _class: 'x@wa', id: 'x1', 'b:f': 1 }]);
    await store.load('wa:b', [{ _class: 'y@wa', id: 'y1', f: 1 }]);
    await store.ensureIndex('wa:b', 'f');
    await store.insert('wa', [{ id: 'x2', doc: { _class: 'x@wa', id: 'x2', 'b:f': 1 } }]);
    expect((await store.findByField('wa', null, 'b:f', [1])).map((d) => d.id)).toEqual(['x1', 'x2']);
    expect((await store.findByFilter('wa', null, { 'b:f': 1 })).map((d) => d.id)).toEqual(['x1', 'x2']);
    expect((await store.findByField('wa:b', null, 'f', [1])).map((d) => d.id)).toEqual(['y1']);
  });

  it('gets a field indexed by another connection from the first connection\'s next write', async () => {
    const other = openEmbeddedStore({ path: join(dir, 'store.db') });
    try {
      await store.findByField('wl_line', null, 'qty', [2]); // the first connection has looked at the schema
      await other.ensureIndex('wl_line', 'qty');
      await store.insert('wl_line', [{ id: 'l5', doc: { _class: 'line@wl', id: 'l5', qty: 7 } }]);
      await store.update('wl_line', [{ id: 'l2', match: { id: 'l2' }, set: { qty: 7 } }]);
      expect((await other.findByField('wl_line', null, 'qty', [7])).map((d) => d.id)).toEqual(['l2', 'l5']);
      expect((await store.findByField('wl_line', null, 'qty', [7])).map((d) => d.id)).toEqual(['l2', 'l5']);
      expect((await store.findByField('wl_line', null, 'qty', [3])).map((d) => d.id)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('a file of the layout before the keys column', () => {
  /** Builds, with raw SQL, a store file as the previous version wrote it. */
  function oldFile(path: string): void {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    const extract = (field: string) => `json_extract(doc, '$."${field}"')`;
    db.exec(`
      CREATE TABLE store_journal (seq INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, collection TEXT NOT NULL, class TEXT,
        id TEXT NOT NULL, op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')), changed TEXT NOT NULL, old TEXT NOT NULL,
        computed INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE store_checkpoints (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE "doc:wm_line" (rowid INTEGER PRIMARY KEY, class TEXT, doc BLOB NOT NULL);
      CREATE INDEX "cls:wm_line" ON "doc:wm_line" (class);
      CREATE TABLE "doc:wm_hub" (rowid INTEGER PRIMARY KEY, class TEXT, doc BLOB NOT NULL);
      CREATE INDEX "cls:wm_hub" ON "doc:wm_hub" (class);
      INSERT INTO "doc:wm_line" (class, doc) VALUES
        ('line@wm', jsonb('{"_class":"line@wm","id":"l1","order":"o1","qty":2,"at":{"$date":"2024-01-01T00:00:00.000Z"}}')),
        ('line@wm', jsonb('{"_class":"line@wm","id":"l2","order":"o2","qty":3,"amount":6}')),
        ('line@wm', jsonb('{"_class":"line@wm","id":"l3","qty":1}'));
      INSERT INTO "doc:wm_hub" (class, doc) VALUES ('hub@wm', jsonb('{"_class":"hub@wm","id":"h1","districts":["d1","d2"]}'));
      CREATE INDEX "ix:wm_line:id" ON "doc:wm_line" (${extract('id')});
      CREATE INDEX "ix:wm_line:order" ON "doc:wm_line" (${extract('order')});
      CREATE INDEX "ix:wm_line:at" ON "doc:wm_line" (${extract('at')});
      CREATE TABLE "arr:wm_hub:districts" (value, row INTEGER NOT NULL);
      CREATE INDEX "arr:wm_hub:districts:value" ON "arr:wm_hub:districts" (value, row);
      CREATE INDEX "arr:wm_hub:districts:row" ON "arr:wm_hub:districts" (row);
      CREATE TRIGGER "arr:wm_hub:districts:insert" AFTER INSERT ON "doc:wm_hub" BEGIN
        INSERT INTO "arr:wm_hub:districts" (value, row) SELECT value, NEW.rowid FROM json_each(NEW.doc, '$."districts"')
          WHERE json_type(NEW.doc, '$."districts"') = 'array'; END;
      CREATE TRIGGER "arr:wm_hub:districts:update" AFTER UPDATE OF doc ON "doc:wm_hub"
        WHEN json_extract(OLD.doc, '$."districts"') IS NOT json_extract(NEW.doc, '$."districts"') BEGIN
        DELETE FROM "arr:wm_hub:districts" WHERE row = OLD.rowid;
        INSERT INTO "arr:wm_hub:districts" (value, row) SELECT value, NEW.rowid FROM json_each(NEW.doc, '$."districts"')
          WHERE json_type(NEW.doc, '$."districts"') = 'array'; END;
      CREATE TRIGGER "arr:wm_hub:districts:delete" AFTER DELETE ON "doc:wm_hub" BEGIN
        DELETE FROM "arr:wm_hub:districts" WHERE row = OLD.rowid; END;
      INSERT INTO "arr:wm_hub:districts" (value, row) VALUES ('d1', 1), ('d2', 1);
      INSERT INTO store_journal (time, collection, class, id, op, changed, old, computed) VALUES
        ('2024-01-01T00:00:00.000Z', 'wm_line', 'line@wm', 'l2', 'update', '["amount"]', '{"amount":null}', 1),
        ('2024-01-02T00:00:00.000Z', 'wm_line', 'line@wm', 'l9', 'delete', '["_class","id"]', '{"_class":"line@wm","id":"l9"}', 0);
      INSERT INTO store_checkpoints (name, value) VALUES ('feed', '1');
    `);
    db.close();
  }

  it('is migrated on open: documents, journal, checkpoints and array index intact, scalar indexes on keys', async () => {
    const path = join(dir, 'old.db');
    oldFile(path);
    const store = openEmbeddedStore({ path });
    try {
      expect(store.database.pragma('user_version', { simple: true })).toBe(2);
      const lines: unknown[] = [];
      for await (const batch of store.scan('wm_line', null)) lines.push(...batch);
      expect(lines).toEqual([
        { _class: 'line@wm', id: 'l1', order: 'o1', qty: 2, at: new Date('2024-01-01T00:00:00Z') },
        { _class: 'line@wm', id: 'l2', order: 'o2', qty: 3, amount: 6 },
        { _class: 'line@wm', id: 'l3', qty: 1 },
      ]);
      expect(keysColumn(store, 'wm_line').map((k) => k && JSON.parse(k))).toEqual([
        { at: { $date: '2024-01-01T00:00:00.000Z' }, id: 'l1', order: 'o1' },
        { id: 'l2', order: 'o2' },
        { id: 'l3' },
      ]);
      const indexSql = store.database.prepare(`SELECT sql FROM sqlite_master WHERE name LIKE 'ix:wm_line:%'`).pluck().all() as string[];
      expect(indexSql).toHaveLength(3);
      for (const sql of indexSql) expect(sql).toMatch(/json_extract\(keys, /);
      // INDEXED BY fails to prepare unless the index can serve the store's lookup expression.
      const byIndex = store.database.prepare(`SELECT json(doc) FROM "doc:wm_line" INDEXED BY "ix:wm_line:order"
        WHERE json_extract(keys, '$."order"') IN (SELECT value FROM json_each(?)) ORDER BY rowid`).pluck().all('["o2"]');
      expect(byIndex.map((doc) => JSON.parse(doc as string).id)).toEqual(['l2']);
      expect((await store.findByField('wm_line', null, 'order', ['o2'])).map((d) => d.id)).toEqual(['l2']);
      expect((await store.findByField('wm_line', null, 'at', [new Date('2024-01-01T00:00:00Z')])).map((d) => d.id)).toEqual(['l1']);
      expect((await store.findByArrayMember('wm_hub', null, 'districts', ['d2'])).map((d) => d.id)).toEqual(['h1']);

      const journal = await store.readChanges(0, 10);
      expect(journal.map((r) => [r.seq, r.op, r.id, r.changedFields, r.oldValues, r.computed])).toEqual([
        [1, 'update', 'l2', ['amount'], { amount: null }, true],
        [2, 'delete', 'l9', ['_class', 'id'], { _class: 'line@wm', id: 'l9' }, false],
      ]);
      expect(await store.getCheckpoint('feed')).toBe('1');

      // Writes after the migration keep the keys column and the journal going.
      await store.update('wm_line', [{ id: 'l3', match: { id: 'l3' }, set: { order: 'o2' } }]);
      await store.bulkSet('wm_line', [{ match: { id: 'l1' }, set: { amount: 4 } }]);
      expect((await store.findByField('wm_line', null, 'order', ['o2'])).map((d) => d.id)).toEqual(['l2', 'l3']);
      expect((await store.readChanges(2, 10)).map((r) => [r.seq, r.id])).toEqual([[3, 'l3'], [4, 'l1']]);
    } finally {
      await store.close();
    }
    // Reopening a migrated file changes nothing.
    const again = openEmbeddedStore({ path });
    try {
      expect((await again.findByField('wm_line', null, 'order', ['o2'])).map((d) => d.id)).toEqual(['l2', 'l3']);
      expect(await again.headSequence()).toBe(4);
    } finally {
      await again.close();
    }
  });

  it('is migrated once when two connections open it', async () => {
    const path = join(dir, 'old.db');
    oldFile(path);
    const first = openEmbeddedStore({ path });
    const second = openEmbeddedStore({ path });
    try {
      expect((await second.findByField('wm_line', null, 'id', ['l2'])).map((d) => d.order)).toEqual(['o2']);
      expect(second.database.prepare(`SELECT count(*) FROM sqlite_master WHERE name LIKE 'ix:wm_line:%'`).pluck().get()).toBe(3);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses a file of a newer layout, naming it', () => {
    const path = join(dir, 'newer.db');
    const db = new Database(path);
    db.pragma('user_version = 3');
    db.close();
    expect(() => openEmbeddedStore({ path })).toThrow(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has schema version 3.*newer ion-recalc`));
  });
});
