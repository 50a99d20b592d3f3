import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore, type EmbeddedStore } from '../../../src/store/embedded/embedded-store.ts';
import { JOURNAL_TABLE } from '../../../src/store/embedded/schema.ts';

describe('pruning the embedded journal', () => {
  let dir: string;
  let path: string;
  let store: EmbeddedStore;

  /** Ten journaled changes, sequences 1..10, written at the times given (ISO text per sequence). */
  async function tenChanges(times?: (seq: number) => string): Promise<void> {
    await store.insert('p_doc', Array.from({ length: 10 }, (_, i) => ({ id: `d${i + 1}`, doc: { _class: 'doc@p', id: `d${i + 1}`, n: i } })));
    if (!times) return;
    const db = new Database(path);
    const set = db.prepare(`UPDATE ${JOURNAL_TABLE} SET time = ? WHERE seq = ?`);
    for (let seq = 1; seq <= 10; seq++) set.run(times(seq), seq);
    db.close();
  }
  const seqs = async () => (await store.readChanges(0, 100)).map((r) => r.seq);
  const minute = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m)).toISOString();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-prune-'));
    path = join(dir, 'store.db');
    store = openEmbeddedStore({ path });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes up to the sequence given, in chunks, and never reuses a number', async () => {
    await tenChanges();
    expect(await store.pruneChanges(7, { chunk: 3 })).toBe(7);
    expect(await seqs()).toEqual([8, 9, 10]);
    expect(await store.oldestChange()).toMatchObject({ seq: 8 });
    expect(await store.headSequence()).toBe(10);
    await store.insert('p_doc', [{ id: 'd11', doc: { _class: 'doc@p', id: 'd11' } }]);
    expect(await seqs()).toEqual([8, 9, 10, 11]);
  });

  it('with olderThan deletes only the prefix older than the cutoff', async () => {
    await tenChanges(minute); // sequence n written at minute n
    expect(await store.pruneChanges(10, { olderThan: new Date(minute(4)), chunk: 2 })).toBe(3);
    expect(await seqs()).toEqual([4, 5, 6, 7, 8, 9, 10]);
    // The readers' position bounds it as well.
    expect(await store.pruneChanges(5, { olderThan: new Date(minute(60)) })).toBe(2);
    expect(await seqs()).toEqual([6, 7, 8, 9, 10]);
  });

  it('stops at the first newer record: one whose clock went back behind it is kept, no gap left', async () => {
    // Sequence 4 carries a newer time than 5 (a clock stepped back after it).
    await tenChanges((seq) => (seq === 4 ? minute(30) : minute(seq)));
    expect(await store.pruneChanges(10, { olderThan: new Date(minute(8)) })).toBe(3);
    expect(await seqs()).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });

  it('a dry run counts the same records and deletes none', async () => {
    await tenChanges(minute);
    expect(await store.pruneChanges(9, { olderThan: new Date(minute(7)), chunk: 4, dryRun: true })).toBe(6);
    expect(await seqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await store.pruneChanges(9, { olderThan: new Date(minute(7)), chunk: 4 })).toBe(6);
    expect(await seqs()).toEqual([7, 8, 9, 10]);
  });

  it('an empty journal, or nothing old enough, prunes nothing', async () => {
    expect(await store.pruneChanges(100)).toBe(0);
    expect(await store.oldestChange()).toBeNull();
    await tenChanges(minute);
    expect(await store.pruneChanges(10, { olderThan: new Date(minute(1)) })).toBe(0);
    expect(await seqs()).toHaveLength(10);
    await expect(store.pruneChanges(10, { chunk: 0 })).rejects.toThrow(/chunk must be a positive integer/);
  });
});
