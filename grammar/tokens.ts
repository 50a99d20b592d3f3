/**
 * Tokens of the ION string formula syntax (`count($a.b, &eq($gops, b), 1)`).
 *
 * ION has no real lexer: it cuts the text at `(`, `)` and `,` and trims the pieces. The tokens
 * mirror that: three punctuation tokens, and text tokens for everything else. An argument's value
 * is the source text from its first to its last text token, so the spaces inside a bare word
 * (`КБ Искра`) are kept exactly as ION keeps them.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Whitespace between tokens; `\s` is the set `String.prototype.trim` removes, as ION trims. */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });

export const LParen = createToken({ name: 'LParen', pattern: '(', label: '"("' });
export const RParen = createToken({ name: 'RParen', pattern: ')', label: '")"' });
export const Comma = createToken({ name: 'Comma', pattern: ',', label: '","' });

/** Any text: the category the grammar consumes for values and call names. */
export const Text = createToken({ name: 'Text', pattern: Lexer.NA, label: 'text' });

/**
 * `'…'`: quoted text is one token, so `,` and `(` inside it are plain characters (a deliberate
 * difference from ION, which splits `concat('a, b')` and breaks on `'x(y'`).
 */
export const Quoted = createToken({ name: 'Quoted', pattern: /'[^']*'/, categories: [Text], label: 'quoted text' });

/**
 * A run of ordinary characters. A `'` inside or at the end is part of the word (`it's`, `ХБР-`,
 * `operators@telecom-ru`, `$status@`).
 */
export const Word = createToken({ name: 'Word', pattern: /[^\s(),'][^\s(),]*/, categories: [Text], label: 'text' });

/** A `'` that opens no quoted text (no closing `'` follows): ION reads it as part of a bare word. */
export const LoneQuote = createToken({ name: 'LoneQuote', pattern: /'[^\s(),]*/, categories: [Text], label: 'text' });

/**
 * Never produced by the lexer; the paren pass retypes `,` and `)` that ION treats as characters
 * (a formula with no call at all, or text before the first `(`) to this.
 */
export const LooseText = createToken({ name: 'LooseText', pattern: Lexer.NA, categories: [Text], label: 'text' });

/**
 * Never produced by the lexer; the paren pass retypes a `)` that would close the outermost call
 * before the last `)` of the text to this. ION drops it (`if(eq($a, 1)), x, y)`).
 */
export const StrayParen = createToken({ name: 'StrayParen', pattern: Lexer.NA, label: 'extra ")"' });

/** Lexer order matters: `Quoted` before `LoneQuote`, so only an unclosed `'` becomes a lone quote. */
export const lexerTokens: TokenType[] = [WhiteSpace, LParen, RParen, Comma, Quoted, Word, LoneQuote];

/** Every token type the parser knows (the lexer's plus the category and the retyped ones). */
export const allTokens: TokenType[] = [...lexerTokens, Text, LooseText, StrayParen];

/** The one lexer instance (Chevrotain lexers are reusable and costly to build). */
export const formulaLexer = new Lexer(lexerTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
});
