import { describe, expect, it } from 'vitest';
import type { CallNode } from '../../src/formula/ast.ts';
import { FormulaSyntaxError } from '../../src/formula/diagnostics.ts';
import { parseFormula } from '../../src/formula/parse.ts';
import { parseStringFormula } from '../../src/formula/parse-string.ts';
import { callOf, lit, located, parseClean, pathOf, stripSpans, textSpanOf } from '../grammar/helpers.ts';

/** The single argument of `concat(<text>)`, without spans. */
const argOf = (text: string): unknown => (stripSpans(parseClean(`concat(${text})`)) as { args: unknown[] }).args[0];

const argsOf = (source: string): unknown[] => (stripSpans(parseClean(source)) as { args: unknown[] }).args;

const errorsOf = (source: string) => parseStringFormula(source).diagnostics.map(located);

describe('argument classification (ION evaluate order)', () => {
  it.each([
    ['12', 12],
    ['2.50', 2.5],
    ['.5', 0.5],
    ['-5', -5],
    ['+7', 7],
    ['0x10', 16],
    ['1e3', 1000],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s is the number %d (!isNaN → Number)', (text, value) => {
    expect(argOf(text)).toEqual(lit(value));
  });

  it('an empty argument is the number 0', () => {
    expect(argsOf('concat(,)')).toEqual([lit(0), lit(0)]);
  });

  it.each([
    ['null', null],
    ['true', true],
    ['false', false],
  ])('%s is the keyword value', (text, value) => {
    expect(argOf(text)).toEqual(lit(value));
  });

  it.each(['TRUE', 'Null', 'False'])('%s is a string: keywords are exact lowercase', (text) => {
    expect(argOf(text)).toEqual(lit(text));
  });

  it.each([
    ["'a b'", 'a b'],
    ["' x '", ' x '],
    ["''", ''],
    ["'5'", '5'],
    ["'$a'", '$a'],
    ["'it''s'", "it''s"],
    ["'a, b'", 'a, b'],
    ["'x(y'", 'x(y'],
  ])('quoted %s is the text between the quotes, verbatim', (text, value) => {
    expect(argOf(text)).toEqual(lit(value));
  });

  it('double quotes are ordinary characters', () => {
    expect(argOf('"x"')).toEqual(lit('"x"'));
  });

  it.each(['a.b.c', 'status@', 'ref.name@', 'raionObslu.oktmo_nasPunkta.svyaz.ops'])('$%s is a path', (text) => {
    expect(argOf(`$${text}`)).toEqual(pathOf(text));
  });

  it('a trailing @ asks for the display value', () => {
    const path = argOf('$status@') as { display: boolean; segments: string[] };
    expect(path.display).toBe(true);
    expect(path.segments).toEqual(['status']);
  });

  it.each(['b', 'КБ Искра', 'operators@telecom-ru', '&#032;/&#032;', 'ХБР-', '-', "it's", 'a  b', 'x@', '&x', "'abc"])(
    'bare word %s is a string literal as written',
    (text) => {
      expect(argOf(text)).toEqual(lit(text));
    },
  );

  it('a bare word keeps its inner whitespace, newlines included', () => {
    expect(argOf('a \n b')).toEqual(lit('a \n b'));
  });
});

describe('whole formulas', () => {
  it('a formula can be a single value', () => {
    expect(stripSpans(parseClean('$progressInput'))).toEqual(pathOf('progressInput'));
    expect(stripSpans(parseClean(' 42 '))).toEqual(lit(42));
    expect(stripSpans(parseClean('КБ Искра'))).toEqual(lit('КБ Искра'));
  });

  it('an empty formula is the number 0', () => {
    expect(stripSpans(parseClean(''))).toEqual(lit(0));
    expect(stripSpans(parseClean('  \n '))).toEqual(lit(0));
  });

  it('without any call, commas and ")" are characters of one bare word', () => {
    expect(stripSpans(parseClean('a, b'))).toEqual(lit('a, b'));
    expect(stripSpans(parseClean('a)b'))).toEqual(lit('a)b'));
  });

  it('whitespace around tokens is insignificant', () => {
    expect(stripSpans(parseClean(' count ( $x , 1 ) '))).toEqual(callOf('count', [pathOf('x'), lit(1)]));
  });
});

describe('calls', () => {
  it('parses the pochtamt formula with lazy condition and spans into the source', () => {
    const tree = parseClean('count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, b), 1)') as CallNode;
    expect(stripSpans(tree)).toEqual(
      callOf('count', [
        pathOf('raionObslu.oktmo_nasPunkta.svyaz.ops'),
        callOf('eq', [pathOf('gops'), lit('b')], true),
        lit(1),
      ]),
    );
    expect([tree, ...tree.args].map((n) => [textSpanOf(n).start, textSpanOf(n).end])).toEqual([
      [0, 61],
      [6, 43],
      [44, 57],
      [59, 60],
    ]);
  });

  it('a lazy call at the top level', () => {
    expect(stripSpans(parseClean('&eq($a, 1)'))).toEqual(callOf('eq', [pathOf('a'), lit(1)], true));
  });

  it('f() and f( ) have no arguments', () => {
    expect(argsOf('concat()')).toEqual([]);
    expect(argsOf('concat( )')).toEqual([]);
    expect(argsOf('now(\n)')).toEqual([]);
  });

  it('empty arguments among others are the number 0', () => {
    expect(argsOf('concat(a,)')).toEqual([lit('a'), lit(0)]);
    expect(argsOf('concat(, a)')).toEqual([lit(0), lit('a')]);
    expect(argsOf('if(eq($a,), 1, )')).toEqual([callOf('eq', [pathOf('a'), lit(0)]), lit(1), lit(0)]);
  });

  it('an empty argument spans the gap between its separators', () => {
    const spans = (source: string) =>
      (parseClean(source) as CallNode).args.map((a) => [textSpanOf(a).start, textSpanOf(a).end]);
    expect(spans('concat(,)')).toEqual([
      [7, 7],
      [8, 8],
    ]);
    expect(spans('concat( , )')).toEqual([
      [7, 8],
      [9, 10],
    ]);
  });

  it('nested calls, quoted separators and a bare-word attribute (corpus merge)', () => {
    expect(argsOf("merge($raionObslu.oktmo_nasPunkta.svyaz.ops,naselenniyPunkt.okato.name,&eq($gops, c),1,', ')")).toEqual([
      pathOf('raionObslu.oktmo_nasPunkta.svyaz.ops'),
      lit('naselenniyPunkt.okato.name'),
      callOf('eq', [pathOf('gops'), lit('c')], true),
      lit(1),
      lit(', '),
    ]);
  });

  it('multi-line formulas: spans carry 1-based lines and columns', () => {
    const source = 'count(\n  $raionObslu.ops,\n  &eq($gops, b),\n  1\n)';
    const tree = parseClean(source) as CallNode;
    expect(textSpanOf(tree)).toMatchObject({ start: 0, end: 48, line: 1, column: 1 });
    expect(tree.args.map(textSpanOf)).toEqual([
      { kind: 'text', start: 9, end: 24, line: 2, column: 3 },
      { kind: 'text', start: 28, end: 41, line: 3, column: 3 },
      { kind: 'text', start: 45, end: 46, line: 4, column: 3 },
    ]);
  });
});

describe('text ION ignores (W_IGNORED_TEXT)', () => {
  it('a stray ")" after a nested call inside the outermost call is dropped', () => {
    const { ast, diagnostics } = parseStringFormula('if(eq($a, 1)), x, y)');
    expect(stripSpans(ast)).toEqual(callOf('if', [callOf('eq', [pathOf('a'), lit(1)]), lit('x'), lit('y')]));
    expect(diagnostics.map(located)).toEqual([{ code: 'W_IGNORED_TEXT', start: 12, end: 13, line: 1, column: 13 }]);
    expect(diagnostics[0]?.severity).toBe('warning');
  });

  it('text between a nested call\'s ")" and the next "," is dropped', () => {
    const { ast, diagnostics } = parseStringFormula('concat(upper(x) junk, y)');
    expect(stripSpans(ast)).toEqual(callOf('concat', [callOf('upper', [lit('x')]), lit('y')]));
    expect(diagnostics.map(located)).toEqual([{ code: 'W_IGNORED_TEXT', start: 16, end: 20, line: 1, column: 17 }]);
  });

  it('text after the outermost call is dropped, commas and "(" included', () => {
    expect(errorsOf('count($x) trailing, text')).toEqual([
      { code: 'W_IGNORED_TEXT', start: 10, end: 24, line: 1, column: 11 },
    ]);
    const { ast, diagnostics } = parseStringFormula('count($x) f(');
    expect(stripSpans(ast)).toEqual(callOf('count', [pathOf('x')]));
    expect(diagnostics.map(located)).toEqual([{ code: 'W_IGNORED_TEXT', start: 10, end: 12, line: 1, column: 11 }]);
  });

  it('parseFormula returns the tree with the warnings', () => {
    const parsed = parseFormula('if(eq($a, 1)), x, y)');
    expect(parsed.syntax).toBe('string');
    expect(parsed.warnings.map((w) => w.code)).toEqual(['W_IGNORED_TEXT']);
  });
});

describe('errors (codes and spans)', () => {
  it('E_UNKNOWN_FUNCTION spans the name (without &); names are case-sensitive', () => {
    expect(errorsOf('concat(foo($x))')).toEqual([{ code: 'E_UNKNOWN_FUNCTION', start: 7, end: 10, line: 1, column: 8 }]);
    expect(errorsOf('&foo(1)')).toEqual([{ code: 'E_UNKNOWN_FUNCTION', start: 1, end: 4, line: 1, column: 2 }]);
    expect(errorsOf('Count($x)').map((d) => d.code)).toEqual(['E_UNKNOWN_FUNCTION']);
    // ION trims only the whole name: `& eq` names " eq", which is no function.
    expect(errorsOf('& eq(1, 1)').map((d) => d.code)).toEqual(['E_UNKNOWN_FUNCTION']);
  });

  it('E_MISSING_FUNCTION_NAME for "(" with no name', () => {
    expect(errorsOf('concat((1))')).toEqual([{ code: 'E_MISSING_FUNCTION_NAME', start: 7, end: 8, line: 1, column: 8 }]);
    expect(errorsOf('(1)')).toEqual([{ code: 'E_MISSING_FUNCTION_NAME', start: 0, end: 1, line: 1, column: 1 }]);
    expect(errorsOf('&(1)')).toEqual([{ code: 'E_MISSING_FUNCTION_NAME', start: 0, end: 2, line: 1, column: 1 }]);
  });

  it('E_BAD_PATH for an empty path or an empty segment', () => {
    expect(errorsOf('concat($a..b)')).toEqual([{ code: 'E_BAD_PATH', start: 7, end: 12, line: 1, column: 8 }]);
    expect(errorsOf('$')).toEqual([{ code: 'E_BAD_PATH', start: 0, end: 1, line: 1, column: 1 }]);
    for (const bad of ['$.a', '$a.', '$@', '$a.@']) expect(errorsOf(bad).map((d) => d.code)).toEqual(['E_BAD_PATH']);
  });

  it('E_SYNTAX for a missing ")" points at the end of the text', () => {
    expect(errorsOf('count(')).toEqual([{ code: 'E_SYNTAX', start: 6, end: 6, line: 1, column: 7 }]);
    expect(errorsOf('count(eq($a, 1)')).toEqual([{ code: 'E_SYNTAX', start: 15, end: 15, line: 1, column: 16 }]);
    expect(errorsOf('count(\n  $a\n')).toEqual([{ code: 'E_SYNTAX', start: 11, end: 11, line: 2, column: 5 }]);
    expect(parseStringFormula('count(eq($a, 1)').diagnostics[0]?.message).toContain('count(');
  });

  it('E_SYNTAX for an extra ")" that does not follow a nested call', () => {
    expect(errorsOf('concat(x))')).toEqual([{ code: 'E_SYNTAX', start: 8, end: 9, line: 1, column: 9 }]);
  });

  it('E_SYNTAX for a second call after a nested call without a comma', () => {
    expect(errorsOf('concat(eq(x) h(y))')).toEqual([{ code: 'E_SYNTAX', start: 14, end: 15, line: 1, column: 15 }]);
  });

  it('E_TOO_DEEP beyond 64 levels, at the first token past the limit', () => {
    const nested = (n: number) => `${'add('.repeat(n)}1${')'.repeat(n)}`;
    expect(parseStringFormula(nested(64)).diagnostics).toEqual([]);
    expect(errorsOf(nested(65))).toEqual([{ code: 'E_TOO_DEEP', start: 260, end: 261, line: 1, column: 261 }]);
  });

  it('no input overflows the stack', () => {
    expect(errorsOf('('.repeat(100_000))).toEqual([{ code: 'E_TOO_DEEP', start: 65, end: 66, line: 1, column: 66 }]);
    expect(errorsOf('add('.repeat(50_000)).map((d) => d.code)).toEqual(['E_TOO_DEEP']);
  });

  it('collects several errors, and never builds a tree then', () => {
    const result = parseStringFormula('concat(foo(1), $a..b)');
    expect(result.ast).toBeUndefined();
    expect(result.diagnostics.map(located)).toEqual([
      { code: 'E_UNKNOWN_FUNCTION', start: 7, end: 10, line: 1, column: 8 },
      { code: 'E_BAD_PATH', start: 15, end: 20, line: 1, column: 16 },
    ]);
  });

  it('parseFormula throws FormulaSyntaxError with line, column, offset and excerpt', () => {
    const source = 'concat(\n  foo(1))';
    const error = (() => {
      try {
        parseFormula(source);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FormulaSyntaxError);
    expect(error).toMatchObject({ code: 'E_UNKNOWN_FUNCTION', line: 2, column: 3, offset: 10, excerpt: '  foo(1))\n  ^~~' });
  });

  it('an unclosed quote is part of a bare word, as in ION (no E_UNTERMINATED_QUOTE)', () => {
    expect(argsOf("concat('abc, $x)")).toEqual([lit("'abc"), pathOf('x')]);
  });
});

describe('real-meta workarounds for the quote-comma rule parse as ION evaluates them', () => {
  it("pad(next($classCategory),9, '0' ,l)", () => {
    expect(argsOf("pad(next($classCategory),9, '0' ,l)")).toEqual([
      callOf('next', [pathOf('classCategory')]),
      lit(9),
      lit('0'),
      lit('l'),
    ]);
  });

  it("if(gt($a,1) ,'big' ,'small')", () => {
    expect(argsOf("if(gt($a,1) ,'big' ,'small')")).toEqual([callOf('gt', [pathOf('a'), lit(1)]), lit('big'), lit('small')]);
  });
});

describe('deliberate differences from ION', () => {
  it('a comma right after a quote separates arguments (ION: one argument)', () => {
    expect(argsOf("concat('a', 'b')")).toEqual([lit('a'), lit('b')]);
    expect(argsOf("if(0, 'y', 'n')")).toEqual([lit(0), lit('y'), lit('n')]);
  });

  it('parentheses inside quotes are text (ION: "Function \'x not found")', () => {
    expect(argsOf("concat('x(y', $n)")).toEqual([lit('x(y'), pathOf('n')]);
  });
});
