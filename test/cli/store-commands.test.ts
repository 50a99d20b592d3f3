import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedStore } from '../../src/store/index.ts';
import { CONFORMANCE_DIR } from '../conformance/world.ts';
import { runCli } from './helpers.ts';

const WORLD_B = join(CONFORMANCE_DIR, 'worlds', 'B');
const META = join(WORLD_B, 'meta');

describe('recalc import / export / apply on an embedded store', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'recalc-cli-'));
    db = join(dir, 'store.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('imports a data file into the collections of the root classes, and exports it back', async () => {
    const source = JSON.parse(readFileSync(join(WORLD_B, 'data.json'), 'utf8')) as { _class: string }[];
    const imported = await runCli('import', '--db', db, '--data', join(WORLD_B, 'data.json'), '--meta', META);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain(`imported ${source.length} documents`);

    const store = openEmbeddedStore({ path: db });
    const hubs = await store.findByField('wb_hub', null, 'id', ['sh1']);
    expect(hubs).toHaveLength(1);
    expect(await store.headSequence()).toBe(0); // a plain import is not journaled, as ION's
    await store.close();

    const out = join(dir, 'out.json');
    const exported = await runCli('export', '--db', db, '--out', out);
    expect(exported.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(source.length);
    expect(lines.map((l) => (JSON.parse(l) as { _class: string })._class).sort()).toEqual(source.map((d) => d._class).sort());
  });

  it('refuses documents of unknown classes, naming the class', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ _class: 'nope@wb', id: 'x' }]));
    const { code, err } = await runCli('import', '--db', db, '--data', file, '--meta', META);
    expect(code).toBe(1);
    expect(err).toContain('unknown _class "nope@wb"');
  });

  it('applies a change script as journaled application writes', async () => {
    await runCli('import', '--db', db, '--data', join(WORLD_B, 'data.json'), '--meta', META);
    const script = join(dir, 'changes.jsonl');
    writeFileSync(
      script,
      [
        JSON.stringify({ op: 'update', class: 'office@wb', id: 'so1', set: { kind: 'c' } }),
        JSON.stringify({ op: 'insert', class: 'operator@wb', id: 'op9', doc: { name: 'Новый' } }),
        JSON.stringify({ op: 'delete', class: 'operator@wb', id: 'op9' }),
      ].join('\n'),
    );
    const { code, out } = await runCli('apply', '--db', db, '--changes', script, '--meta', META);
    expect(code).toBe(0);
    expect(out).toContain('applied 3 changes');
    const store = openEmbeddedStore({ path: db });
    const changes = await store.readChanges(0, 10);
    expect(changes.map((c) => [c.op, c.className, c.id])).toEqual([
      ['update', 'office@wb', 'so1'],
      ['insert', 'operator@wb', 'op9'],
      ['delete', 'operator@wb', 'op9'],
    ]);
    expect(changes[0]?.changedFields).toEqual(['kind']);
    await store.close();
  });

  it('reports every bad line of a change script at once and writes nothing', async () => {
    await runCli('import', '--db', db, '--data', join(WORLD_B, 'data.json'), '--meta', META);
    const script = join(dir, 'bad.jsonl');
    writeFileSync(
      script,
      ['{"op": "update", "class": "office@wb", "id": "so1", "set": {"kind": "c"}}', '{oops', '{"op": "upsert", "class": "office@wb", "id": "x"}', '{"op": "delete", "class": "ghost", "id": "x"}'].join('\n'),
    );
    const { code, err } = await runCli('apply', '--db', db, '--changes', script, '--meta', META);
    expect(code).toBe(1);
    expect(err).toContain(`${script}:2: not valid JSON`);
    expect(err).toContain(`${script}:3: "op" must be insert, update or delete`);
    expect(err).toContain(`${script}:4: unknown class "ghost"`);
    const store = openEmbeddedStore({ path: db });
    expect(await store.headSequence()).toBe(0);
    await store.close();
  });
});
