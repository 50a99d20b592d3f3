import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diagramsHtml } from '../../grammar/generate-diagrams.ts';
import { formulaParser, parseTokens } from '../../grammar/parser.ts';
import { formulaLexer } from '../../grammar/tokens.ts';

const parserSource = readFileSync(new URL('../../grammar/parser.ts', import.meta.url), 'utf8');

describe('grammar', () => {
  it('has the documented rules (building it found no definition errors)', () => {
    const rules = formulaParser.getSerializedGastProductions().map((rule) => ('name' in rule ? rule.name : ''));
    expect(rules).toEqual(['formula', 'expression', 'argumentList', 'ignored']);
  });

  it('every rule has a one-line comment with an example', () => {
    const rules = [...parserSource.matchAll(/\n(\s*\/\/ [^\n]*`[^\n]*`[^\n]*)\n\s*readonly (\w+) = this\.RULE\('(\w+)'/g)];
    expect(rules.map((m) => m[3])).toEqual(['formula', 'expression', 'argumentList', 'ignored']);
  });

  it('builds a CST with labelled words, arguments and ignored text', () => {
    const { cst, errors } = parseTokens(formulaLexer.tokenize('f(a b, g(x) y)').tokens);
    expect(errors).toEqual([]);
    const expression = cst?.children.expression[0];
    expect(expression?.children.words?.map((t) => t.image)).toEqual(['f']);
    const list = expression?.children.argumentList?.[0];
    expect(list?.children.args.map((a) => a.children.words?.map((t) => t.image))).toEqual([['a', 'b'], ['g']]);
    const nested = list?.children.args[1]?.children.argumentList?.[0];
    expect(nested?.children.ignored?.map((n) => n.children.text[0]?.image)).toEqual(['y']);
  });

  it('rejects a "(" after a call', () => {
    const { cst, errors } = parseTokens(formulaLexer.tokenize('f(g(x) h(y))').tokens);
    expect(cst).toBeUndefined();
    expect(errors.map((e) => e.token.image)).toEqual(['(']);
  });

  it('the committed diagrams.html is up to date (npm run grammar)', () => {
    const committed = readFileSync(new URL('../../grammar/diagrams.html', import.meta.url), 'utf8');
    expect(committed).toBe(diagramsHtml());
  });
});
