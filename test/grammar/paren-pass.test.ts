import { describe, expect, it } from 'vitest';
import { applyParenRules } from '../../grammar/paren-pass.ts';
import { formulaLexer } from '../../grammar/tokens.ts';

const pass = (source: string, maxDepth = 64) => {
  const result = applyParenRules(formulaLexer.tokenize(source).tokens, maxDepth);
  return {
    tokens: result.tokens.map((t) => `${t.tokenType.name}:${t.image}`),
    tail: result.ignoredTail.map((t) => t.image),
    problem: result.problem && { kind: result.problem.kind, at: result.problem.token.startOffset },
  };
};

describe('paren pass', () => {
  it('leaves a balanced formula alone', () => {
    expect(pass('f(g(x), y)')).toEqual({
      tokens: ['Word:f', 'LParen:(', 'Word:g', 'LParen:(', 'Word:x', 'RParen:)', 'Comma:,', 'Word:y', 'RParen:)'],
      tail: [],
      problem: undefined,
    });
  });

  it('marks a ")" that would close the outermost call before the last ")" as stray', () => {
    expect(pass('if(eq($a, 1)), x, y)').tokens).toEqual([
      'Word:if',
      'LParen:(',
      'Word:eq',
      'LParen:(',
      'Word:$a',
      'Comma:,',
      'Word:1',
      'RParen:)',
      'StrayParen:)',
      'Comma:,',
      'Word:x',
      'Comma:,',
      'Word:y',
      'RParen:)',
    ]);
  });

  it('cuts everything after the last ")" as the ignored tail', () => {
    expect(pass('f(x) y, z(')).toMatchObject({ tokens: ['Word:f', 'LParen:(', 'Word:x', 'RParen:)'], tail: ['y', ',', 'z', '('] });
  });

  it('with no "(" at all, commas and ")" are text', () => {
    expect(pass('a, b) c').tokens).toEqual(['Word:a', 'LooseText:,', 'Word:b', 'LooseText:)', 'Word:c']);
  });

  it('commas and ")" before the first "(" are part of the call name', () => {
    expect(pass('a, b(x)').tokens.slice(0, 3)).toEqual(['Word:a', 'LooseText:,', 'Word:b']);
  });

  it('reports the innermost unclosed "("', () => {
    expect(pass('f(g(x)').problem).toEqual({ kind: 'unclosed', at: 1 });
    expect(pass('f(x, g(').problem).toEqual({ kind: 'unclosed', at: 6 });
  });

  it('reports the first token nested deeper than the limit', () => {
    expect(pass('f(g(h(x)))', 2).problem).toEqual({ kind: 'too-deep', at: 6 });
    expect(pass('f(g(h()))', 2).problem).toBeUndefined();
    expect(pass('f(g(x))', 2).problem).toBeUndefined();
  });
});
