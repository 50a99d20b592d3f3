import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

describe('recalc demo (npm start): the embedded default', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recalc-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints each edit with its recomputes and cascades, and a summary', async () => {
    const { code, out, err } = await runCli('demo');
    expect(code).toBe(0);
    expect(err).toBe('');
    // edit 1: a price change reaches the line amounts, then the order totals and summaries
    const edit1 = out.slice(out.indexOf('edit 1:'), out.indexOf('edit 2:'));
    expect(edit1).toMatch(/orderLine@demo \S+ amount: [\d.]+ → [\d.]+/);
    expect(edit1).toMatch(/order@demo \S+ total: [\d.]+ → [\d.]+\n\s+because orderLine@demo\/\S+\.amount changed/);
    // edit 2: a re-pointed reference recomputes the old and the new district
    const edit2 = out.slice(out.indexOf('edit 2:'), out.indexOf('edit 3:'));
    const populations = [...edit2.matchAll(/district@demo (\S+) population: (\d+) → (\d+)/g)];
    expect(populations.map((m) => m[1]).sort()).toEqual(['D0001', 'D0002']);
    const delta = populations.map((m) => Number(m[3]) - Number(m[2]));
    expect(delta[0]).toBe(-(delta[1] as number));
    // edit 3: the semanticCached branch and the post office counts
    expect(out).toMatch(/branch@demo br-D0001-1 __semantic: ".*" → ".*\(moved\).*"/);
    expect(out).toMatch(/postOffice@demo po-1 (stationaryCount|mobileCount): \d+ → \d+/);
    expect(out).toMatch(/summary: 5 edits, \d+ objects recomputed, \d+ values changed, 0 warnings/);
  });

  it('leaves a store that a rebuild from scratch does not change', async () => {
    const db = join(dir, 'demo.sqlite');
    expect((await runCli('demo', '--db', db)).code).toBe(0);
    const rebuild = await runCli('rebuild', '--meta', 'meta', '--db', db, '--no-progress');
    expect(rebuild.code).toBe(0);
    expect(rebuild.out).toMatch(/ 0 values changed in 0 documents/);
  });

  it('refuses a store file that already holds data', async () => {
    const db = join(dir, 'demo.sqlite');
    await runCli('demo', '--db', db);
    const again = await runCli('demo', '--db', db);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already holds data');
  });
});
