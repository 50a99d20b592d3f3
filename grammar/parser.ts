/**
 * The grammar of ION string formulas as a Chevrotain CST parser: syntax only, no values.
 * `src/formula/parse-string.ts` classifies the text and builds the AST from the CST.
 *
 * The parser expects tokens that went through `applyParenRules` (`paren-pass.ts`), which has
 * already cut the text ION ignores after the last `)` and balanced the parentheses.
 */
import { CstParser, type CstNode, type IRecognitionException, type IToken } from 'chevrotain';
import { allTokens, Comma, LParen, RParen, StrayParen, Text } from './tokens.ts';

/** Children of an `expression` node. */
export interface ExpressionChildren {
  /** The text of a value, or a call's name (`&eq`). */
  words?: IToken[];
  argumentList?: ArgumentListNode[];
}

/** Children of an `argumentList` node. */
export interface ArgumentListChildren {
  LParen: IToken[];
  /** One per argument; an empty one has no children. */
  args: ExpressionNode[];
  Comma?: IToken[];
  RParen: IToken[];
  /** Text after the `)` that ION drops. */
  ignored?: IgnoredNode[];
}

export interface ExpressionNode extends CstNode {
  readonly name: 'expression';
  readonly children: ExpressionChildren & CstNode['children'];
}

export interface ArgumentListNode extends CstNode {
  readonly name: 'argumentList';
  readonly children: ArgumentListChildren & CstNode['children'];
}

export interface IgnoredNode extends CstNode {
  readonly name: 'ignored';
  readonly children: { text: IToken[] } & CstNode['children'];
}

export interface FormulaNode extends CstNode {
  readonly name: 'formula';
  readonly children: { expression: ExpressionNode[] } & CstNode['children'];
}

class FormulaParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: false, maxLookahead: 1 });
    this.performSelfAnalysis();
  }

  // `count($taksofon)` — the whole text is one expression.
  readonly formula = this.RULE('formula', () => {
    this.SUBRULE(this.expression);
  });

  // `&eq($gops, b)` · `КБ Искра` · `'x'` · `` — text (a value, or a call's name), then maybe arguments.
  readonly expression = this.RULE('expression', () => {
    this.MANY(() => this.CONSUME(Text, { LABEL: 'words' }));
    this.OPTION(() => this.SUBRULE(this.argumentList));
  });

  // `($a.b, , 1) dropped` — arguments, each possibly empty, then text ION ignores up to the next `,`.
  readonly argumentList = this.RULE('argumentList', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.expression, { LABEL: 'args' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expression, { LABEL: 'args' });
    });
    this.CONSUME(RParen);
    this.MANY2(() => this.SUBRULE(this.ignored));
  });

  // `)` in `if(eq($a, 1)), x, y)` · `x` in `f(g(1) x, 2)` — text after a call's `)`.
  readonly ignored = this.RULE('ignored', () => {
    this.OR([
      { ALT: () => this.CONSUME2(Text, { LABEL: 'text' }) },
      { ALT: () => this.CONSUME(StrayParen, { LABEL: 'text' }) },
    ]);
  });
}

/** The one parser instance (building a Chevrotain parser is costly; reuse is the norm). */
export const formulaParser = new FormulaParser();

/** Parses prepared tokens: the CST (when there is no error) and the recognition errors. */
export function parseTokens(tokens: IToken[]): {
  readonly cst: FormulaNode | undefined;
  readonly errors: readonly IRecognitionException[];
} {
  formulaParser.input = tokens;
  const cst = formulaParser.formula() as FormulaNode;
  const errors = formulaParser.errors;
  return { cst: errors.length === 0 ? cst : undefined, errors };
}
