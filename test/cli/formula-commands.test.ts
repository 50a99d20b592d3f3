import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

describe('recalc parse', () => {
  it('prints the AST of a string formula as JSON', async () => {
    const { code, out } = await runCli('parse', '--no-spans', 'count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, b), 1)');
    expect(code).toBe(0);
    const ast = JSON.parse(out);
    expect(ast).toMatchObject({ kind: 'call', name: 'count', args: [{ kind: 'path' }, { kind: 'call', name: 'eq', lazy: true }, { kind: 'literal', value: 1 }] });
    expect(ast.args[1].span).toBeUndefined();
  });

  it('keeps spans by default and reads object syntax with --json', async () => {
    const { code, out } = await runCli('parse', '--json', '{"count": ["$x", {"&eq": ["$gops", "b"]}]}');
    expect(code).toBe(0);
    const ast = JSON.parse(out);
    expect(ast.args[1].span).toEqual({ kind: 'json', pointer: '/count/1' });
  });

  it('prints a syntax error with position and caret, exit 1', async () => {
    const { code, err, out } = await runCli('parse', 'count($a, eq($b, c)');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('1:20: error:');
    expect(err).toContain('[E_SYNTAX]');
    expect(err.split('\n')[2]).toBe(`${' '.repeat(19)}^`);
  });

  it('reports an unknown function by name', async () => {
    const { code, err } = await runCli('parse', 'cnt($a)');
    expect(code).toBe(1);
    expect(err).toMatch(/cnt/);
    expect(err).toContain('[E_UNKNOWN_FUNCTION]');
  });

  it('rejects --json input that is not JSON', async () => {
    const { code, err } = await runCli('parse', '--json', '{count');
    expect(code).toBe(1);
    expect(err).toContain('--json');
  });
});

describe('recalc eval', () => {
  it('evaluates against a plain object', async () => {
    const { code, out } = await runCli('eval', '--formula', 'add(mul($a,$x,$x), mul($b,$x), $c)', '--object', '{"a":12,"b":45,"c":32,"x":18}');
    expect(code).toBe(0);
    expect(JSON.parse(out)).toBe(4730);
  });

  it('follows nested links and counts with a lazy condition and unique flag', async () => {
    const object = {
      districts: [
        { settlements: [{ station: { offices: [{ id: 'O1', kind: 'b' }, { id: 'O2', kind: 'b' }] } }] },
        { settlements: [{ station: { offices: [{ id: 'O2', kind: 'b' }, { id: 'O3', kind: 'c' }] } }] },
      ],
    };
    const run = (formula: string) => runCli('eval', '-f', formula, '-o', JSON.stringify(object));
    expect(JSON.parse((await run('count($districts.settlements.station.offices, &eq($kind, b), 1)')).out)).toBe(2);
    expect(JSON.parse((await run('count($districts.settlements.station.offices, &eq($kind, b))')).out)).toBe(3);
  });

  it('encodes dates, NaN and casts with --type', async () => {
    const date = await runCli('eval', '--json', '-f', '{"dateAdd": ["$d", 1, "d"]}', '-o', '{"d": {"$date": "2020-02-28T00:00:00Z"}}');
    expect(JSON.parse(date.out)).toEqual({ $date: '2020-02-29T00:00:00.000Z' });
    const nan = await runCli('eval', '-f', 'avg($items, v)', '-o', '{"items": []}');
    expect(JSON.parse(nan.out)).toEqual({ $number: 'NaN' });
    const cast = await runCli('eval', '-f', 'add($a, $b)', '-o', '{"a": 1, "b": 2}', '--type', '0');
    expect(JSON.parse(cast.out)).toBe('3');
  });

  it('uses --now for now()', async () => {
    const { out } = await runCli('eval', '-f', 'dateFormat(now(), YYYY-MM-DD)', '--now', '2021-05-06T07:00:00Z');
    expect(JSON.parse(out)).toBe('2021-05-06');
  });

  it('fails with exit 1 on a run-time error, bad JSON and a non-object', async () => {
    const runtime = await runCli('eval', '-f', 'count($x, null, 1)', '-o', '{"x": [{"a": 1}]}');
    expect(runtime.code).toBe(1);
    expect(runtime.err).toContain('count');
    const badJson = await runCli('eval', '-f', '$a', '-o', '{a:1}');
    expect(badJson.code).toBe(1);
    expect(badJson.err).toContain('--object');
    const array = await runCli('eval', '-f', '$a', '-o', '[1]');
    expect(array.code).toBe(1);
    expect(array.err).toContain('must be a JSON object');
  });
});

describe('the recalc binary', () => {
  it('runs from the package bin as npx does', () => {
    const bin = join(dirname(fileURLToPath(import.meta.url)), '../../bin/recalc.js');
    const out = execFileSync(process.execPath, [bin, 'eval', '-f', 'concat($a, -, $b)', '-o', '{"a":"x","b":"y"}'], {
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toBe('x-y');
  });
});

describe('recalc demo-formulas', () => {
  it("prints the pochtamt formulas' values on the bundled example (ion-spec §1.5 harness)", async () => {
    const { code, out } = await runCli('demo-formulas');
    expect(code).toBe(0);
    const values = [...out.matchAll(/ {2}value: (.*)/g)].map((m) => JSON.parse(m[1] as string));
    // unique stationary offices 2, mobile 2, their settlements, without unique 3, no condition 5
    expect(values).toEqual([2, 2, 'Луговое, Заречье', 3, 5]);
  });
});
