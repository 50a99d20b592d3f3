/**
 * Two front-ends, one AST: a string formula and its object-syntax equivalent give the same tree
 * once spans are stripped. (Object strings are never numbers or keywords, so the equivalents
 * below write numbers, booleans and null as JSON values.)
 */
import { describe, expect, it } from 'vitest';
import { analyzeFormula, parseFormula } from '../../src/formula/parse.ts';
import { stripSpans } from './helpers.ts';

// A JS string always goes to the string parser, so single values are compared inside a call.
const pairs: [string, unknown][] = [
  ['concat($progressInput)', { concat: ['$progressInput'] }],
  ['concat($status@)', { concat: ['$status@'] }],
  ['concat(bare word)', { concat: ['bare word'] }],
  ["concat('quoted, (text)')", { concat: ['quoted, (text)'] }],
  ['17', 17],
  ['null', null],
  ['true', true],
  ['now()', { now: [] }],
  ['concat(,)', { concat: [0, 0] }],
  ['add($a, -1.5, 0x10)', { add: ['$a', -1.5, 16] }],
  ['if(eq($a, true), yes, false)', { if: [{ eq: ['$a', true] }, 'yes', false] }],
  ['&eq($gops, b)', { '&eq': ['$gops', 'b'] }],
  [
    'count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, b), 1)',
    { count: ['$raionObslu.oktmo_nasPunkta.svyaz.ops', { '&eq': ['$gops', 'b'] }, 1] },
  ],
  [
    'get(operators@telecom-ru, name, КБ Искра)',
    { get: ['operators@telecom-ru', 'name', 'КБ Искра'] },
  ],
  [
    "concat($fio, ' ', dateFormat($date, DD.MM.YYYY), &#032;/&#032;, upper($ref.name@))",
    { concat: ['$fio', ' ', { dateFormat: ['$date', 'DD.MM.YYYY'] }, '&#032;/&#032;', { upper: ['$ref.name@'] }] },
  ],
  [
    'and(nempty($a), or(gt($b, 1), lt($b, -1)), not(empty($c)))',
    { and: [{ nempty: ['$a'] }, { or: [{ gt: ['$b', 1] }, { lt: ['$b', -1] }] }, { not: [{ empty: ['$c'] }] }] },
  ],
];

describe('string and object syntax give identical trees', () => {
  it.each(pairs)('%s', (text, object) => {
    const fromText = parseFormula(text);
    const fromObject = parseFormula(object);
    expect(fromText.syntax).toBe('string');
    expect(stripSpans(fromText.ast)).toEqual(stripSpans(fromObject.ast));
  });

  it('nesting limit is the same in both syntaxes', () => {
    const text = (n: number) => `${'add('.repeat(n)}1${')'.repeat(n)}`;
    const object = (n: number): unknown => (n === 0 ? 1 : { add: [object(n - 1)] });
    for (const n of [64, 65]) {
      const codes = (source: unknown) => analyzeFormula(source).diagnostics.map((d) => d.code);
      expect(codes(text(n))).toEqual(codes(object(n)));
    }
    expect(analyzeFormula(text(65)).diagnostics.map((d) => d.code)).toEqual(['E_TOO_DEEP']);
  });
});
