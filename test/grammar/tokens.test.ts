import { describe, expect, it } from 'vitest';
import { formulaLexer } from '../../grammar/tokens.ts';

/** `Type:image` of every token. */
const lex = (source: string): string[] => {
  const { tokens, errors } = formulaLexer.tokenize(source);
  expect(errors).toEqual([]);
  return tokens.map((t) => `${t.tokenType.name}:${t.image}`);
};

describe('lexer', () => {
  it('splits at parentheses and commas and skips whitespace', () => {
    expect(lex('count($a.b,&eq($gops, b), 1)')).toEqual([
      'Word:count',
      'LParen:(',
      'Word:$a.b',
      'Comma:,',
      'Word:&eq',
      'LParen:(',
      'Word:$gops',
      'Comma:,',
      'Word:b',
      'RParen:)',
      'Comma:,',
      'Word:1',
      'RParen:)',
    ]);
  });

  it('keeps the words of a bare word apart; the value is the source text between them', () => {
    expect(lex(' КБ  Искра\t')).toEqual(['Word:КБ', 'Word:Искра']);
  });

  it('skips every character String.prototype.trim removes', () => {
    expect(lex('\u00a0a\u2028\ufeffb\u3000')).toEqual(['Word:a', 'Word:b']);
  });

  it('a quoted text is one token, commas, parentheses and newlines inside', () => {
    expect(lex("'a, (b)\nc'")).toEqual(["Quoted:'a, (b)\nc'"]);
    expect(lex("''")).toEqual(["Quoted:''"]);
  });

  it('a quote inside or at the end of a word belongs to the word', () => {
    expect(lex("it's x'")).toEqual(["Word:it's", "Word:x'"]);
  });

  it('a quote with no closing quote starts a lone-quote word', () => {
    expect(lex("'abc, d")).toEqual(["LoneQuote:'abc", 'Comma:,', 'Word:d']);
    expect(lex("'")).toEqual(["LoneQuote:'"]);
  });

  it('adjacent quoted texts are separate tokens', () => {
    expect(lex("'it''s'")).toEqual(["Quoted:'it'", "Quoted:'s'"]);
  });

  it('lexes any text without errors', () => {
    for (const source of ['\u0000\uffff', '"{}[]:;', '\ud800', '((((', ')))']) {
      expect(formulaLexer.tokenize(source).errors).toEqual([]);
    }
  });
});
