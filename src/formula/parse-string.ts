/**
 * The string syntax (`count($a.b, &eq($gops, b), 1)`) → AST.
 *
 * Lexing, ION's parenthesis rules and the grammar live in `grammar/`; this module gives the text
 * meaning the way ION's `evaluate` does (number, `null`/`true`/`false`, `'quoted'`, `$path`, else
 * a bare-word string), checks call names against the library, and reports everything as
 * diagnostics with spans into the original text. See `grammar/GRAMMAR.md`.
 */
import type { IToken } from 'chevrotain';
import { applyParenRules } from '../../grammar/paren-pass.ts';
import {
  formulaParser,
  parseTokens,
  type ArgumentListNode,
  type ExpressionNode,
  type FormulaNode as FormulaCst,
} from '../../grammar/parser.ts';
import { describeParenProblem, describeRecognitionError, tokenEnd } from '../../grammar/syntax-messages.ts';
import { formulaLexer } from '../../grammar/tokens.ts';
import * as ast from './ast.ts';
import type { FormulaNode, TextSpan } from './ast.ts';
import { DiagnosticCodes, textSpan, type DiagnosticCode, type FormulaDiagnostic } from './diagnostics.ts';
import { isLibraryFunction } from './functions/catalog.ts';
import { MAX_FORMULA_DEPTH } from './parse-object.ts';

export interface StringParseResult {
  /** The tree; undefined when any diagnostic is an error. */
  readonly ast: FormulaNode | undefined;
  readonly diagnostics: FormulaDiagnostic[];
}

/** What the visitor carries through one parse. */
interface VisitContext {
  readonly source: string;
  readonly diagnostics: FormulaDiagnostic[];
}

const report = (
  context: VisitContext,
  code: DiagnosticCode,
  message: string,
  start: number,
  end: number,
): void => {
  const severity = code.startsWith('W_') ? 'warning' : 'error';
  context.diagnostics.push({ code, severity, message, span: textSpan(context.source, start, end) });
};

const isEmpty = (node: ExpressionNode): boolean => !node.children.words && !node.children.argumentList;

/**
 * A value's text (trimmed, as ION trims it) → a node, in ION's order: number (`!isNaN`, so
 * `0x10`, `1e3`, `Infinity` count), `null`/`true`/`false`, `'quoted'` verbatim, `$path`, else
 * the text itself as a string ("bare word").
 */
function classify(text: string, span: TextSpan, context: VisitContext): FormulaNode | undefined {
  const number = Number(text);
  if (!Number.isNaN(number)) return ast.literal(number, span);
  if (text === 'null') return ast.literal(null, span);
  if (text === 'true' || text === 'false') return ast.literal(text === 'true', span);
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return ast.literal(text.slice(1, -1), span);
  if (text.startsWith('$')) {
    const pathText = text.slice(1);
    if (ast.isValidPathText(pathText)) return ast.path(pathText, span);
    const why = pathText === '' || pathText === '@' ? 'names no attribute' : 'has an empty segment';
    report(context, DiagnosticCodes.badPath, `path ${JSON.stringify(text)} ${why}`, span.start, span.end);
    return undefined;
  }
  return ast.literal(text, span);
}

const BaseVisitor = formulaParser.getBaseCstVisitorConstructor<VisitContext, FormulaNode | undefined>();

/** CST → AST. Returns undefined for a part with an error (already reported). */
class AstBuilder extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  formula(children: FormulaCst['children'], context: VisitContext): FormulaNode | undefined {
    const expression = children.expression[0] as ExpressionNode;
    // ION: an empty formula is `!isNaN("")`, the number 0.
    if (isEmpty(expression)) return ast.literal(0, textSpan(context.source, 0, context.source.length));
    return this.visit(expression, context);
  }

  expression(children: ExpressionNode['children'], context: VisitContext): FormulaNode | undefined {
    const words = children.words ?? [];
    const start = words[0]?.startOffset;
    const end = words.length > 0 ? tokenEnd(words.at(-1) as IToken) : undefined;
    const argumentList = children.argumentList?.[0];
    if (!argumentList) {
      if (start === undefined || end === undefined) return undefined; // empty: the caller decides
      return classify(context.source.slice(start, end), textSpan(context.source, start, end), context);
    }
    return this.call(argumentList, start, end, context);
  }

  /** `name(args)`: the name is the text before `(` (trimmed); a leading `&` makes it lazy. */
  private call(
    list: ArgumentListNode,
    nameStart: number | undefined,
    nameEnd: number | undefined,
    context: VisitContext,
  ): FormulaNode | undefined {
    const { source } = context;
    const children = list.children;
    const open = children.LParen[0] as IToken;
    const close = children.RParen[0] as IToken;
    const start = nameStart ?? open.startOffset;
    const written = nameStart === undefined || nameEnd === undefined ? '' : source.slice(nameStart, nameEnd);
    const lazy = written.startsWith('&');
    const name = lazy ? written.slice(1) : written;
    let failed = false;
    if (name === '') {
      report(context, DiagnosticCodes.missingFunctionName, 'missing function name before "("', start, tokenEnd(open));
      failed = true;
    } else if (!isLibraryFunction(name)) {
      const at = start + (lazy ? 1 : 0);
      report(context, DiagnosticCodes.unknownFunction, `unknown function ${JSON.stringify(name)}`, at, nameEnd ?? at);
      failed = true;
    }
    const args = this.args(children, tokenEnd(open), context);
    this.reportIgnored(list, written, context);
    if (failed || args === undefined) return undefined;
    return ast.call(name, lazy, args, textSpan(source, start, tokenEnd(close)));
  }

  /** The arguments; `f()` has none, an empty one among others (`f(,)`) is the number 0. */
  private args(children: ArgumentListNode['children'], afterOpen: number, context: VisitContext): FormulaNode[] | undefined {
    const nodes = children.args;
    if (nodes.length === 1 && isEmpty(nodes[0] as ExpressionNode)) return [];
    const separators = [...(children.Comma ?? []), children.RParen[0] as IToken];
    const args: FormulaNode[] = [];
    let failed = false;
    let gapStart = afterOpen;
    nodes.forEach((node, i) => {
      const separator = separators[i] as IToken;
      const arg = isEmpty(node)
        ? ast.literal(0, textSpan(context.source, gapStart, separator.startOffset))
        : this.visit(node, context);
      if (arg) args.push(arg);
      else failed = true;
      gapStart = tokenEnd(separator);
    });
    return failed ? undefined : args;
  }

  /** Text after a call's `)` up to the next `,` or `)`: ION drops it; so do we, with a warning. */
  private reportIgnored(list: ArgumentListNode, name: string, context: VisitContext): void {
    const ignored = list.children.ignored;
    if (!ignored || ignored.length === 0) return;
    const first = (ignored[0]?.children.text[0] as IToken).startOffset;
    const last = tokenEnd(ignored.at(-1)?.children.text[0] as IToken);
    const text = context.source.slice(first, last);
    report(context, DiagnosticCodes.ignoredText, `text ${JSON.stringify(text)} after ${name}(...) is ignored`, first, last);
  }

  argumentList(): undefined {
    return undefined; // handled by `call`, which needs the name
  }

  ignored(): undefined {
    return undefined; // handled by `reportIgnored`
  }
}

const builder = new AstBuilder();

/**
 * Parses a formula in ION's string syntax. Never throws: lexer and parser errors, unknown
 * functions, bad paths and too deep nesting come back as diagnostics; warnings (text ION
 * ignores) come with a tree.
 */
export function parseStringFormula(source: string): StringParseResult {
  const context: VisitContext = { source, diagnostics: [] };
  const lexed = formulaLexer.tokenize(source);
  for (const error of lexed.errors) {
    report(context, DiagnosticCodes.syntax, error.message, error.offset, error.offset + Math.max(1, error.length));
  }
  const pass = applyParenRules(lexed.tokens, MAX_FORMULA_DEPTH);
  if (pass.problem) {
    const { message, start, end } = describeParenProblem(pass.problem, source, MAX_FORMULA_DEPTH);
    const code = pass.problem.kind === 'too-deep' ? DiagnosticCodes.tooDeep : DiagnosticCodes.syntax;
    report(context, code, message, start, end);
    return { ast: undefined, diagnostics: context.diagnostics };
  }
  if (pass.ignoredTail.length > 0) {
    const first = (pass.ignoredTail[0] as IToken).startOffset;
    const last = tokenEnd(pass.ignoredTail.at(-1) as IToken);
    const text = source.slice(first, last);
    report(context, DiagnosticCodes.ignoredText, `text ${JSON.stringify(text)} after the last ")" is ignored`, first, last);
  }
  const { cst, errors } = parseTokens(pass.tokens);
  for (const error of errors) {
    const { message, start, end } = describeRecognitionError(error, source);
    report(context, DiagnosticCodes.syntax, message, start, end);
  }
  const tree = cst ? (builder.visit(cst, context) as FormulaNode | undefined) : undefined;
  const failed = context.diagnostics.some((d) => d.severity === 'error');
  return { ast: failed ? undefined : tree, diagnostics: context.diagnostics };
}
