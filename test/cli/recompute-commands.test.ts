/**
 * The recompute commands against the conformance worlds: `recalc rebuild` must give every value
 * of `cached-expected.json` (computed by the real ION code), and `recalc eval --batch` every case.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EJSON } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeValue } from '../../src/formula/value-encoding.ts';
import { objectId, openMeta } from '../../src/meta/index.ts';
import { CONFORMANCE_DIR, readCases } from '../conformance/world.ts';
import { runCli } from './helpers.ts';

const expected = JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'cached-expected.json'), 'utf8')) as Record<
  string,
  Record<string, Record<string, Record<string, unknown>>>
>;
const world = (w: string) => ({ meta: join(CONFORMANCE_DIR, 'worlds', w, 'meta'), data: join(CONFORMANCE_DIR, 'worlds', w, 'data.json') });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'recalc-rebuild-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recalc rebuild --data --out on the conformance worlds', () => {
  for (const w of ['A', 'B', 'C']) {
    it(`world ${w}: every cached value equals ION's`, async () => {
      const out = join(dir, `${w}.jsonl`);
      const { code, out: printed } = await runCli('rebuild', '--meta', world(w).meta, '--data', world(w).data, '--out', out, '--no-progress');
      expect(code).toBe(0);
      expect(printed).toMatch(/0 errors/);
      const meta = openMeta(world(w).meta);
      const docs = readFileSync(out, 'utf8').trim().split('\n').map((l) => EJSON.parse(l, { relaxed: true }) as Record<string, unknown>);
      const byRef = new Map(
        docs.map((d) => {
          const cls = meta.repository.get(d._class as string);
          return [`${cls.canonicalName}/${objectId(cls, d)}`, d];
        }),
      );
      let checked = 0;
      for (const [className, objects] of Object.entries(expected[w] ?? {})) {
        for (const [id, values] of Object.entries(objects)) {
          const doc = byRef.get(`${className}/${id}`);
          expect(doc, `${className}/${id}`).toBeDefined();
          for (const [attribute, value] of Object.entries(values)) {
            expect(encodeValue(doc?.[attribute] ?? null), `${className}/${id}.${attribute}`).toEqual(value);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(10);
    });
  }
});

describe('recalc eval --batch follows the conformance protocol', () => {
  for (const w of ['A', 'B', 'C']) {
    it(`world ${w}: every case of cases.jsonl`, async () => {
      const cases = readCases('cases.jsonl').filter((c) => c.world === w);
      const batch = join(dir, `cases-${w}.jsonl`);
      writeFileSync(batch, cases.map((c) => JSON.stringify({ class: c.class, id: c.objectId, formula: c.formula })).join('\n'));
      const { code, out } = await runCli('eval', '--meta', world(w).meta, '--data', world(w).data, '--batch', batch);
      expect(code).toBe(0);
      const results = out.trim().split('\n').map((l) => JSON.parse(l) as { value?: unknown; error?: string });
      expect(results).toHaveLength(cases.length);
      cases.forEach((c, i) => {
        const expectedValue = c.expected as Record<string, unknown> | null;
        if (expectedValue !== null && typeof expectedValue === 'object' && '$error' in expectedValue) {
          expect(results[i]?.error, c.id).toBeTypeOf('string');
        } else {
          expect(results[i], c.id).toEqual({ value: c.expected });
        }
      });
    });
  }
});

describe('recalc eval with meta', () => {
  it('prints one attribute or formula of one object', async () => {
    const w = world('B');
    const attr = await runCli('eval', '--meta', w.meta, '--data', w.data, '--class', 'hub@wb', '--id', 'sh1', '--attr', 'statOffices');
    expect(attr.code).toBe(0);
    expect(JSON.parse(attr.out)).toBe(expected.B?.['hub@wb']?.sh1?.statOffices);
    const formula = await runCli('eval', '--meta', w.meta, '--data', w.data, '--class', 'hub@wb', '--id', 'sh1', '--formula', 'count($districts)');
    expect(formula.code).toBe(0);
    expect(JSON.parse(formula.out)).toBeTypeOf('number');
  });

  it('names a missing object, an unknown attribute and a missing option', async () => {
    const w = world('B');
    const missing = await runCli('eval', '--meta', w.meta, '--data', w.data, '--class', 'hub@wb', '--id', 'nope', '--attr', 'statOffices');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('nope');
    const unknown = await runCli('eval', '--meta', w.meta, '--data', w.data, '--class', 'hub@wb', '--id', 'sh1', '--attr', 'kolStatOps');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('class hub@wb has no attribute kolStatOps');
    const noTarget = await runCli('eval', '--meta', w.meta, '--data', w.data, '--class', 'hub@wb', '--attr', 'statOffices');
    expect(noTarget.code).toBe(1);
    expect(noTarget.err).toContain('--id');
  });
});

describe('recalc replay', () => {
  const readDocs = (file: string) =>
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => EJSON.parse(l, { relaxed: true }) as Record<string, unknown>)
      .sort((a, b) => JSON.stringify([a._class, a.id]).localeCompare(JSON.stringify([b._class, b.id])));

  it('ends where a rebuild of the final data ends (world B)', async () => {
    const w = world('B');
    const changes = join(dir, 'changes-B.jsonl');
    writeFileSync(
      changes,
      [
        { op: 'update', class: 'office@wb', id: 'so1', set: { kind: 'c' } },
        { op: 'update', class: 'office@wb', id: 'so2', set: { name: 'ОПС Новое' } },
        { op: 'insert', class: 'operator@wb', id: 'op9', doc: { name: 'Девятый' } },
        { op: 'delete', class: 'operator@wb', id: 'op9' },
      ]
        .map((c) => JSON.stringify(c))
        .join('\n'),
    );
    const replayed = join(dir, 'replayed-B.jsonl');
    const replay = await runCli('replay', '--meta', w.meta, '--data', w.data, '--changes', changes, '--out', replayed, '--verbose');
    expect(replay.code).toBe(0);
    expect(replay.out).toMatch(/replayed 4 changes/);
    expect(replay.out).toMatch(/hub@wb sh\d (statOffices|mobileOffices|mobileNames):/);

    const rebuilt = join(dir, 'rebuilt-B.jsonl');
    const rebuild = await runCli('rebuild', '--meta', w.meta, '--data', replayed, '--out', rebuilt, '--no-progress');
    expect(rebuild.code).toBe(0);
    expect(rebuild.out).toMatch(/0 values changed/);
    expect(readDocs(replayed)).toEqual(readDocs(rebuilt));
  });

  it('reports a bad change script with its line', async () => {
    const w = world('B');
    const changes = join(dir, 'bad-B.jsonl');
    writeFileSync(changes, '{"op": "update", "class": "office@wb", "id": "so1", "set": {"kind": "c"}}\n{"op": "move"}\n');
    const { code, err } = await runCli('replay', '--meta', w.meta, '--data', w.data, '--changes', changes, '--out', join(dir, 'x.jsonl'));
    expect(code).toBe(1);
    expect(err).toContain(`${changes}:2:`);
  });
});
