import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { sharedPath } from '../shared-dir.ts';

const WORLD_C = sharedPath('conformance/worlds/C/meta');
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'recalc', ...args], { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) });
  return { code, out, err };
}

const broken = mkdtempSync(join(tmpdir(), 'recalc-meta-'));
afterAll(() => rmSync(broken, { recursive: true, force: true }));
writeFileSync(join(broken, 'a.class.json'), JSON.stringify({ name: 'a', key: ['id'], properties: [{ name: 'id', type: 0 }, { name: 'r', type: 13, refClass: 'ghost' }] }, null, 2));

describe('recalc check', () => {
  it('exits 0 on valid meta and prints warnings compiler-style', async () => {
    const { code, out } = await run('check', '--meta', WORLD_C);
    expect(code).toBe(0);
    expect(out).toMatch(/person@wc\.class\.json:\d+:\d+: warning: attribute total exists only in subclass invoice/);
    expect(out).toContain('6 classes, 22 formulas: 0 errors');
  });

  it('exits 1 on any error, with file:line:col: error:', async () => {
    const { code, out, err } = await run('check', '--meta', broken);
    expect(code).toBe(1);
    expect(out).toMatch(/a\.class\.json:14:19: error: refClass ghost is not a known class \(a\.r\) \[M_UNKNOWN_REF_CLASS\]/);
    expect(err).toContain('1 error');
  });

  it('--excerpts prints the line with a caret under the problem inside a string formula', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recalc-meta-'));
    writeFileSync(join(dir, 'b.class.json'), '{"name": "b", "key": ["id"], "properties": [\n  {"name": "id", "type": 0},\n  {"name": "n", "type": 6, "formula": "count($nope)"}\n]}');
    const { code, out } = await run('check', '--meta', dir, '--excerpts');
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(1);
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.includes('[M_UNKNOWN_ATTRIBUTE]'));
    expect(lines[at]).toMatch(/b\.class\.json:3:46: error: class b has no attribute nope/);
    expect(lines[at + 1]).toBe('  {"name": "n", "type": 6, "formula": "count($nope)"}');
    expect(lines[at + 2]).toBe(`${' '.repeat(45)}^`);
  });

  it('exits 2 when the directory does not exist', async () => {
    expect((await run('check', '--meta', join(broken, 'nope'))).code).toBe(2);
  });
});

describe('recalc graph', () => {
  it('mermaid tells declared and inferred edges apart', async () => {
    const { code, out } = await run('graph', '--meta', WORLD_C);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('flowchart LR');
    expect(out).toMatch(/-\.->\|"declared: cacheDependencies: invoice"\|/);
    expect(out).toMatch(/-->\|"inferred: invoice → maxLine, invoice → summary, invoice → total, sum → maxLine, sum → total"\|/);
    expect(out).toMatch(/==>\|"undeclared: number → invoiceNumber, owner → ownerName"\|/);
  });

  it('dot output, restricted to one class', async () => {
    const { out } = await run('graph', '--meta', `${FIXTURES}telecom-ru`, '--namespace', 'telecom-ru', '--format', 'dot', '--class', 'mobile');
    expect(out.startsWith('digraph dependencies {')).toBe(true);
    expect(out).toContain('declared: cacheDependencies: okato');
    expect(out).not.toContain('pochtamt');
  });

  it('json output holds triggers with reverse steps', async () => {
    const { out } = await run('graph', '--meta', `${FIXTURES}telecom-ru`, '--namespace', 'telecom-ru', '--format', 'json', '--class', 'ops');
    const graph = JSON.parse(out) as { triggers: { class: string; field: string; reverse: { kind: string }[] }[] };
    const gops = graph.triggers.find((t) => t.class === 'ops@telecom-ru' && t.field === 'gops')!;
    expect(gops.reverse.map((s) => s.kind)).toEqual(['idArray', 'backReference', 'backRefCollection', 'backColl']);
  });

  it('text output lists what each cached value reads and the cascades', async () => {
    const { out } = await run('graph', '--meta', `${FIXTURES}telecom-ru`, '--namespace', 'telecom-ru', '--format', 'text', '--class', 'pochtamt');
    expect(out).toContain('pochtamt@telecom-ru.kolStatOps reads\n');
    expect(out).toContain('  ops.gops [value] via raionObslu.oktmo_nasPunkta.svyaz.ops.gops\n');
    expect(out).toContain('  ops.gops → pochtamt.kolStatOps: idArray(svyaz.ops) < backReference(naselenniyPunkt.okato) < backRefCollection(municipalnieObrazovaniya.supOktmo) < backColl(pochtamt.raionObslu)  [not declared: stale in ION]');
  });

  it('rejects an unknown format', async () => {
    expect((await run('graph', '--meta', WORLD_C, '--format', 'svg')).code).toBe(2);
  });
});
