/**
 * Turns what the paren pass and the parser found into messages a meta author understands,
 * with the source range they point at. Codes are decided by the caller.
 */
import type { IRecognitionException, IToken } from 'chevrotain';
import type { ParenProblem } from './paren-pass.ts';
import { LParen, StrayParen } from './tokens.ts';

/** A message and the `[start, end)` range of the source it is about. */
export interface LocatedMessage {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

/** Offset just past a token (the lexer tracks start offsets only). */
export const tokenEnd = (token: IToken): number => token.startOffset + token.image.length;

const quote = (text: string): string => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** What the paren pass rejected: an unclosed `(` or too deep nesting. */
export function describeParenProblem(problem: ParenProblem, source: string, maxDepth: number): LocatedMessage {
  if (problem.kind === 'too-deep') {
    const at = problem.token.startOffset;
    return { message: `formula is nested deeper than ${maxDepth} levels`, start: at, end: tokenEnd(problem.token) };
  }
  const names = problem.nameTokens;
  const name = names.length === 0 ? '' : source.slice((names[0] as IToken).startOffset, tokenEnd(names.at(-1) as IToken));
  // Point at the end of the text: that is where the `)` is missing.
  const end = source.trimEnd().length;
  return { message: `missing ")" to close ${name}(`, start: end, end };
}

/** A parser error (after the paren pass only a few shapes remain). */
export function describeRecognitionError(error: IRecognitionException, source: string): LocatedMessage {
  const token = error.token;
  const atEnd = token.tokenType.name === 'EOF' || Number.isNaN(token.startOffset);
  const start = atEnd ? source.length : token.startOffset;
  const end = atEnd ? start : tokenEnd(token);
  if (token.tokenType === StrayParen) {
    return { message: 'extra ")": ION drops one only right after a nested call', start, end };
  }
  if (token.tokenType === LParen) {
    return { message: 'unexpected "(": after a call\'s ")" only "," or ")" may follow', start, end };
  }
  return { message: atEnd ? 'unexpected end of formula' : `unexpected ${quote(token.image)}`, start, end };
}
