/**
 * Several processes on one database file: each writes its own documents concurrently; every
 * write and every journal row must survive, with one sequence shared by all writers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'embedded-processes-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const WRITER = `
import { openEmbeddedStore } from ${JSON.stringify(join(process.cwd(), 'src/store/embedded/embedded-store.ts'))};
const [path, name, count] = process.argv.slice(2);
const store = openEmbeddedStore({ path });
for (let i = 0; i < Number(count); i++) {
  await store.insert('wc_doc', [{ id: name + i, doc: { _class: 'doc@wc', id: name + i, writer: name } }]);
  await store.bulkSet('wc_doc', [{ match: { id: name + i }, set: { total: i } }]);
}
await store.close();
`;

function runWriter(script: string, path: string, name: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, path, name, String(count)], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

it('keeps every write and journal row of concurrent writer processes', async () => {
  const path = join(dir, 'shared.db');
  const script = join(dir, 'writer.mts');
  writeFileSync(script, WRITER);
  openEmbeddedStore({ path }).close(); // create the file and switch it to WAL before the writers race
  const codes = await Promise.all(['a', 'b', 'c'].map((name) => runWriter(script, path, name, 100)));
  expect(codes).toEqual([0, 0, 0]);
  const store = openEmbeddedStore({ path });
  try {
    const docs = await store.findByField('wc_doc', null, 'writer', ['a', 'b', 'c']);
    expect(docs).toHaveLength(300);
    expect(docs.every((d) => typeof d.total === 'number')).toBe(true);
    const records = await store.readChanges(0, 1000);
    expect(records).toHaveLength(600);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
    expect(records.filter((r) => r.computed)).toHaveLength(300);
  } finally {
    await store.close();
  }
}, 60_000);
