/**
 * Robustness of the string front-end on arbitrary input: random strings and mutated corpus
 * formulas either parse or fail with a `FormulaSyntaxError` (nothing else escapes), quickly,
 * with every span inside the text. And printed random trees parse back to themselves.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as ast from '../../src/formula/ast.ts';
import type { FormulaNode } from '../../src/formula/ast.ts';
import { FormulaSyntaxError } from '../../src/formula/diagnostics.ts';
import { FUNCTION_CATALOG } from '../../src/formula/functions/catalog.ts';
import { analyzeFormula, parseFormula } from '../../src/formula/parse.ts';
import { stripSpans, textSpanOf } from '../grammar/helpers.ts';
import { sharedPath } from '../shared-dir.ts';

const TIME_LIMIT_MS = 50;

const corpus: string[] = readFileSync(sharedPath('corpus/ion-formulas.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as { formula: unknown })
  .map((row) => (typeof row.formula === 'string' ? row.formula : JSON.stringify(row.formula)));

/** Characters that matter to the grammar, plus letters, digits and non-Latin text. */
const syntaxChar = fc.constantFrom(...'()(),,\'\'$$&@.. \n\t-_0123456789abcxyzeqКБ"{}[]:');
const formulaText = fc.oneof(
  fc.string({ unit: syntaxChar, maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

type Edit = { kind: 'insert' | 'delete' | 'replace'; at: number; char: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  char: fc.oneof(syntaxChar, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
});

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const { kind, at, char } of edits) {
    const i = at % (out.length + 1);
    if (kind === 'insert') out = out.slice(0, i) + char + out.slice(i);
    else if (kind === 'delete') out = out.slice(0, i) + out.slice(i + 1);
    else out = out.slice(0, i) + char + out.slice(i + 1);
  }
  return out;
}

/** parseFormula returns or throws FormulaSyntaxError, within the time limit; spans stay in the text. */
function checkRobust(source: string): void {
  let outcome: unknown;
  const parseOnce = (): number => {
    const started = performance.now();
    try {
      outcome = parseFormula(source);
    } catch (error) {
      outcome = error;
    }
    return performance.now() - started;
  };
  // A slow input is slow every time; a GC pause or a busy CI core is not. So an input fails only
  // when its fastest of three runs is over the limit.
  let elapsed = parseOnce();
  for (let retry = 0; retry < 2 && elapsed >= TIME_LIMIT_MS; retry++) elapsed = Math.min(elapsed, parseOnce());
  expect(elapsed).toBeLessThan(TIME_LIMIT_MS);
  if (outcome instanceof Error) expect(outcome).toBeInstanceOf(FormulaSyntaxError);

  const { parsed, diagnostics } = analyzeFormula(source);
  const hasError = diagnostics.some((d) => d.severity === 'error');
  expect(parsed === undefined).toBe(hasError);
  const spans = diagnostics.map(textSpanOf);
  if (parsed) ast.walk(parsed.ast, (node) => spans.push(textSpanOf(node)));
  for (const span of spans) {
    expect(0 <= span.start && span.start <= span.end && span.end <= source.length).toBe(true);
    expect(span.line >= 1 && span.column >= 1).toBe(true);
  }
}

describe('parseFormula on arbitrary text', () => {
  it('random strings', () => {
    fc.assert(fc.property(formulaText, checkRobust), { numRuns: 2000 });
  });

  it('mutated corpus formulas', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 6 }))
      .map(([text, edits]) => applyEdits(text, edits));
    fc.assert(fc.property(mutated, checkRobust), { numRuns: 2000 });
  });

  it('deep and unbalanced parentheses', () => {
    const deep = fc
      .tuple(fc.nat(3000), fc.nat(3000), fc.constantFrom('', 'add', '&eq', 'x'))
      .map(([open, close, name]) => `${`${name}(`.repeat(open)}1${')'.repeat(close)}`);
    fc.assert(fc.property(deep, checkRobust), { numRuns: 200 });
  });
});

// ---- round trip: print a random tree in string syntax, parse it back ----

const functionName = fc.constantFrom(...FUNCTION_CATALOG.keys());
const segment = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,8}$/);
const noSpan = { kind: 'text', start: 0, end: 0, line: 1, column: 1 } as const;

const leaf: fc.Arbitrary<FormulaNode> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map((n) => ast.literal(n, noSpan)),
  fc.constantFrom(null, true, false).map((v) => ast.literal(v, noSpan)),
  // Quoted text without quotes: any characters, commas and parentheses included.
  fc.string({ unit: fc.constantFrom(...'ab ,()$@.&КБ-'), maxLength: 12 }).map((s) => ast.literal(s, noSpan)),
  fc
    .tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([segments, display]) => ast.path(`${segments.join('.')}${display ? '@' : ''}`, noSpan)),
);

const tree: fc.Arbitrary<FormulaNode> = fc.letrec<{ node: FormulaNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(functionName, fc.boolean(), fc.array(tie('node'), { maxLength: 4 }))
      .map(([name, lazy, args]) => ast.call(name, lazy, args, noSpan)),
  ),
})).node;

/** String syntax for a tree: strings quoted (they are free of `'` here), the rest as ION writes it. */
function print(node: FormulaNode): string {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' ? `'${node.value}'` : String(node.value);
    case 'path':
      return `$${node.text}`;
    case 'call':
      return `${node.lazy ? '&' : ''}${node.name}(${node.args.map(print).join(', ')})`;
    case 'array':
    case 'object':
      throw new Error('no string syntax for arrays and objects');
    default:
      return ast.assertNever(node);
  }
}

describe('printed trees parse back', () => {
  it('print → parse is the identity on calls, paths and literals', () => {
    fc.assert(
      fc.property(tree, (node) => {
        const { parsed, diagnostics } = analyzeFormula(print(node));
        expect(diagnostics).toEqual([]);
        expect(stripSpans(parsed?.ast)).toEqual(stripSpans(node));
      }),
      { numRuns: 1000 },
    );
  });
});
