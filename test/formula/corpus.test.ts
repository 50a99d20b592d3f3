/**
 * Every real formula of the corpus (sharedPath(`corpus/ion-formulas.jsonl`): calculated
 * attributes and default values of public ION apps, string and object syntax) parses without
 * an error, and a few come out with the tree ION builds for them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFormula, parseFormula } from '../../src/formula/parse.ts';
import { callOf, lit, pathOf, stripSpans } from '../grammar/helpers.ts';
import { sharedPath } from '../shared-dir.ts';

interface CorpusRow {
  readonly repo: string;
  readonly class: string;
  readonly property: string;
  readonly kind: 'formula' | 'defaultValue';
  readonly syntax: 'string' | 'object';
  readonly formula: unknown;
}

const rows: CorpusRow[] = readFileSync(sharedPath('corpus/ion-formulas.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusRow);

const label = (row: CorpusRow): string => `${row.repo} ${row.class}.${row.property} (${row.kind})`;

describe('corpus', () => {
  it('holds the 180 formula and default-value rows, 12 of them strings', () => {
    expect(rows).toHaveLength(180);
    expect(rows.filter((r) => typeof r.formula === 'string')).toHaveLength(12);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['formula', 'defaultValue']));
  });

  it.each(rows.map((row) => [label(row), row] as const))('%s parses without errors', (_name, row) => {
    const { parsed, diagnostics } = analyzeFormula(row.formula);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(parsed?.syntax).toBe(typeof row.formula === 'string' ? 'string' : 'object');
    // The string formulas of real meta are clean: not even text ION would ignore.
    if (typeof row.formula === 'string') expect(diagnostics).toEqual([]);
  });

  it('pochtamt kolStatOps: count over a 4-hop path with a lazy eq condition', () => {
    const { ast } = parseFormula('count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, b), 1)');
    expect(ast.kind).toBe('call');
    if (ast.kind !== 'call') return;
    const [collection, condition, flag] = ast.args;
    expect(ast.name).toBe('count');
    expect(collection?.kind === 'path' && collection.segments).toEqual(['raionObslu', 'oktmo_nasPunkta', 'svyaz', 'ops']);
    expect(stripSpans(condition)).toEqual(callOf('eq', [pathOf('gops'), lit('b')], true));
    expect(stripSpans(flag)).toEqual(lit(1));
  });

  it('default value get(...) takes bare words with @, - and non-Latin letters and spaces', () => {
    expect(stripSpans(parseFormula('get(operators@telecom-ru, name, КБ Искра)').ast)).toEqual(
      callOf('get', [lit('operators@telecom-ru'), lit('name'), lit('КБ Искра')]),
    );
  });

  it('sum over a collection takes the attribute name as a bare word', () => {
    expect(stripSpans(parseFormula('sum($oktmo_nasPunkta.chislennost, chislennost)').ast)).toEqual(
      callOf('sum', [pathOf('oktmo_nasPunkta.chislennost'), lit('chislennost')]),
    );
  });

  it('every string row gives the same tree as its object-syntax rewrite', () => {
    // Hand-written object equivalents of three corpus string formulas (numbers stay numbers).
    const pairs: [string, unknown][] = [
      ['count($taksofon)', { count: ['$taksofon'] }],
      ['concat($okato.okato.supOktmo.name)', { concat: ['$okato.okato.supOktmo.name'] }],
      [
        "merge($raionObslu.oktmo_nasPunkta.svyaz.ops,naselenniyPunkt.okato.name,&eq($gops, c),1,', ')",
        { merge: ['$raionObslu.oktmo_nasPunkta.svyaz.ops', 'naselenniyPunkt.okato.name', { '&eq': ['$gops', 'c'] }, 1, ', '] },
      ],
    ];
    for (const [text, object] of pairs) {
      expect(stripSpans(parseFormula(text).ast)).toEqual(stripSpans(parseFormula(object).ast));
    }
  });
});
