import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/index.ts';
import { runCli } from './helpers.ts';

describe('recalc prune-journal', () => {
  let dir: string;
  let db: string;

  /** A store file with ten journaled changes (sequences 1..10) and the checkpoints given. */
  async function storeWith(checkpoints: Record<string, string>): Promise<void> {
    const store = openEmbeddedStore({ path: db });
    await store.insert('p_doc', Array.from({ length: 10 }, (_, i) => ({ id: `d${i}`, doc: { _class: 'doc@p', id: `d${i}` } })));
    for (const [name, value] of Object.entries(checkpoints)) await store.setCheckpoint(name, value);
    await store.close();
  }
  async function kept(): Promise<number[]> {
    const store = openEmbeddedStore({ path: db });
    try {
      return (await store.readChanges(0, 100)).map((r) => r.seq);
    } finally {
      await store.close();
    }
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recalc-prune-'));
    db = join(dir, 'app.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('deletes what the worker\'s feed has read, and keeps the rest', async () => {
    await storeWith({ feed: '6' });
    const { code, out } = await runCli('prune-journal', '--db', db);
    expect(code).toBe(0);
    expect(out).toContain('pruned 6 journal records (at or below "feed" at 6)');
    expect(out).toContain('head 10; oldest record now: 7 (');
    expect(await kept()).toEqual([7, 8, 9, 10]);
  });

  it('keeps what the slowest reader has not read, unless that reader is ignored as gone', async () => {
    await storeWith({ feed: '6', audit: '4' });
    const { code, out } = await runCli('prune-journal', '--db', db, '--chunk', '3');
    expect(code).toBe(0);
    expect(out).toContain('pruned 4 journal records (at or below "audit" at 4)');
    expect(await kept()).toEqual([5, 6, 7, 8, 9, 10]);
    const ignoring = await runCli('prune-journal', '--db', db, '--ignore-checkpoint', 'audit');
    expect(ignoring.out).toContain('pruned 2 journal records (at or below "feed" at 6)');
    expect(await kept()).toEqual([7, 8, 9, 10]);
    const typo = await runCli('prune-journal', '--db', db, '--ignore-checkpoint', 'audti');
    expect(typo.code).toBe(1);
    expect(typo.err).toContain('--ignore-checkpoint: ' + db + ' has no checkpoint "audti" (it has "audit", "feed")');
  });

  it('with --older-than keeps recent records; --dry-run deletes nothing', async () => {
    await storeWith({ feed: '10' });
    const recent = await runCli('prune-journal', '--db', db, '--older-than', '1d');
    expect(recent.code).toBe(0);
    expect(recent.out).toMatch(/^pruned 0 journal records \(at or below "feed" at 10 and older than \d{4}-/);
    const dry = await runCli('prune-journal', '--db', db, '--dry-run');
    expect(dry.out).toContain('would prune 10 journal records');
    expect(await kept()).toHaveLength(10);
  });

  it('refuses, deleting nothing, when no reader has a checkpoint or one is not a sequence', async () => {
    await storeWith({});
    const none = await runCli('prune-journal', '--db', db);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no journal reader has a checkpoint here');
    const store = openEmbeddedStore({ path: db });
    await store.setCheckpoint('odd', 'token-abc');
    await store.setCheckpoint('feed', '10');
    await store.close();
    const odd = await runCli('prune-journal', '--db', db);
    expect(odd.code).toBe(1);
    expect(odd.err).toContain('checkpoint "odd" holds "token-abc", not a journal sequence; nothing pruned (leave it out with --ignore-checkpoint odd)');
    expect(await kept()).toHaveLength(10);
    const only = await runCli('prune-journal', '--db', db, '--ignore-checkpoint', 'feed', 'odd');
    expect(only.code).toBe(1);
    expect(only.err).toContain('no journal reader has a checkpoint here (besides those ignored)');
    expect(await kept()).toHaveLength(10);
  });

  it('names a bad age, a bad chunk and a missing store file', async () => {
    await storeWith({ feed: '10' });
    const age = await runCli('prune-journal', '--db', db, '--older-than', '7 days');
    expect(age.code).toBe(1);
    expect(age.err).toContain('--older-than: expected a number and a unit s, m, h, d or w (e.g. 7d, 12h), got "7 days"');
    const chunk = await runCli('prune-journal', '--db', db, '--chunk', '0');
    expect(chunk.err).toContain('--chunk: expected a positive integer, got "0"');
    const missing = join(dir, 'nope.db');
    const gone = await runCli('prune-journal', '--db', missing);
    expect(gone.code).toBe(1);
    expect(gone.err).toContain(`--db: no such file ${missing}`);
    expect(existsSync(missing)).toBe(false);
    expect(await kept()).toHaveLength(10);
  });
});
