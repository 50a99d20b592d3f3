/** Shared helpers of the string-syntax tests. */
import { expect } from 'vitest';
import type { FormulaNode, SourceSpan, TextSpan } from '../../src/formula/ast.ts';
import type { FormulaDiagnostic } from '../../src/formula/diagnostics.ts';
import { parseStringFormula } from '../../src/formula/parse-string.ts';

/** A tree without spans, for comparing shapes (e.g. string vs object syntax). */
export function stripSpans(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripSpans);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key]) => key !== 'span')
      .map(([key, value]) => [key, stripSpans(value)]),
  );
}

/** Parses a string formula that must have no diagnostics at all, and returns its tree. */
export function parseClean(source: string): FormulaNode {
  const { ast, diagnostics } = parseStringFormula(source);
  expect(diagnostics).toEqual([]);
  if (!ast) throw new Error(`no tree for ${source}`);
  return ast;
}

/** The span of a node or diagnostic as a text span (fails for a JSON span). */
export function textSpanOf(item: { readonly span: SourceSpan }): TextSpan {
  if (item.span.kind !== 'text') throw new Error('expected a text span');
  return item.span;
}

/** A diagnostic reduced to what tests assert: code, offsets, line and column. */
export function located(diagnostic: FormulaDiagnostic): {
  code: string;
  start: number;
  end: number;
  line: number;
  column: number;
} {
  const span = textSpanOf(diagnostic);
  return { code: diagnostic.code, start: span.start, end: span.end, line: span.line, column: span.column };
}

/** Nodes without spans, written compactly for expectations. */
export const lit = (value: string | number | boolean | null) => ({ kind: 'literal', value });
export const pathOf = (text: string) => {
  const display = text.endsWith('@');
  const body = display ? text.slice(0, -1) : text;
  return { kind: 'path', segments: body.split('.'), display, text };
};
export const callOf = (name: string, args: unknown[], lazy = false) => ({ kind: 'call', name, lazy, args });
