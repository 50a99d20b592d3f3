/**
 * A token pass between the lexer and the parser that reproduces how ION finds parentheses.
 *
 * ION does not match the outermost call's parentheses: it takes the text from the first `(` to
 * the **last** `)` as the argument list and drops everything after that `)`. Inside, nested calls
 * are matched by counting. So in `if(eq($a, 1)), x, y)` the second `)` closes nothing: ION ignores
 * it, and real meta relies on that. This pass
 *  - retypes such a `)` (one that would close the outermost call before the last `)`) to
 *    `StrayParen`, which the grammar accepts only where ION drops text;
 *  - cuts the tokens after the last `)` (reported as ignored text);
 *  - retypes `,` and `)` to `LooseText` where ION reads them as characters: in a formula with no
 *    `(` at all (`a, b` is the string "a, b") and in the text before the first `(` (a call name);
 *  - reports a `(` that is never closed, and nesting deeper than the limit, before the recursive
 *    parser runs (so no input can overflow the stack).
 */
import type { IToken, TokenType } from 'chevrotain';
import { Comma, LooseText, LParen, RParen, StrayParen } from './tokens.ts';

/** A problem found by the pass, as offsets into the source. */
export interface ParenProblem {
  readonly kind: 'unclosed' | 'too-deep';
  /** For `unclosed`: the unclosed `(`; for `too-deep`: the first token past the limit. */
  readonly token: IToken;
  /** For `unclosed`: the tokens before that `(` that name the call (may be empty). */
  readonly nameTokens: readonly IToken[];
}

export interface ParenPassResult {
  /** The tokens to parse (retyped where needed, without the ignored tail). */
  readonly tokens: IToken[];
  /** Tokens after the outermost call's last `)` that ION ignores (empty if none). */
  readonly ignoredTail: readonly IToken[];
  /** At most one problem; when present the tokens must not be parsed. */
  readonly problem: ParenProblem | undefined;
}

const retype = (token: IToken, type: TokenType): IToken => ({
  ...token,
  tokenType: type,
  tokenTypeIdx: type.tokenTypeIdx as number,
});

const isComma = (token: IToken): boolean => token.tokenType === Comma;
const isLParen = (token: IToken): boolean => token.tokenType === LParen;
const isRParen = (token: IToken): boolean => token.tokenType === RParen;

/** The text tokens naming the call opened at `index` (all text before the outermost `(`). */
function nameTokensBefore(tokens: readonly IToken[], index: number, first: number): IToken[] {
  if (index === first) return tokens.slice(0, first);
  let start = index;
  while (start > 0) {
    const previous = tokens[start - 1] as IToken;
    if (isLParen(previous) || isRParen(previous) || isComma(previous)) break;
    start--;
  }
  return tokens.slice(start, index);
}

/**
 * Applies ION's parenthesis rules to lexed tokens.
 * @param maxDepth arguments may sit inside at most this many parentheses.
 */
export function applyParenRules(tokens: readonly IToken[], maxDepth: number): ParenPassResult {
  const first = tokens.findIndex(isLParen);
  if (first < 0) {
    // No call: the whole text is one value, commas and `)` included.
    const loose = tokens.map((t) => (isComma(t) || isRParen(t) ? retype(t, LooseText) : t));
    return { tokens: loose, ignoredTail: [], problem: undefined };
  }
  let last = -1;
  for (let i = tokens.length - 1; i > first; i--) {
    if (isRParen(tokens[i] as IToken)) {
      last = i;
      break;
    }
  }
  const end = last < 0 ? tokens.length : last + 1;
  const out: IToken[] = [];
  for (let i = 0; i < first; i++) {
    const token = tokens[i] as IToken;
    out.push(isComma(token) || isRParen(token) ? retype(token, LooseText) : token);
  }
  const open: number[] = [];
  for (let i = first; i < end; i++) {
    const token = tokens[i] as IToken;
    if (isRParen(token)) {
      if (open.length === 1 && i !== last) {
        out.push(retype(token, StrayParen));
        continue;
      }
      open.pop();
    } else {
      if (open.length > maxDepth) return { tokens: out, ignoredTail: [], problem: { kind: 'too-deep', token, nameTokens: [] } };
      if (isLParen(token)) open.push(i);
    }
    out.push(token);
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined) {
    const token = tokens[unclosed] as IToken;
    const problem: ParenProblem = { kind: 'unclosed', token, nameTokens: nameTokensBefore(tokens, unclosed, first) };
    return { tokens: out, ignoredTail: [], problem };
  }
  return { tokens: out, ignoredTail: tokens.slice(end), problem: undefined };
}
