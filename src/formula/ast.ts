/**
 * The formula AST: one tree for both ION syntaxes (string and object).
 *
 * Nodes are a discriminated union on `kind`, created only through the builders below, and every
 * node carries the span of the source it came from so that any later diagnostic (binding, arity,
 * unknown attribute) can point at the text.
 */

/** Where a node came from in a string formula: 0-based offsets, 1-based line and column. */
export interface TextSpan {
  readonly kind: 'text';
  /** Offset of the first character. */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** Where a node came from in an object formula: an RFC 6901 JSON pointer into the formula value. */
export interface JsonSpan {
  readonly kind: 'json';
  readonly pointer: string;
}

export type SourceSpan = TextSpan | JsonSpan;

/** A literal value: number, string, boolean or null. */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: string | number | boolean | null;
  readonly span: SourceSpan;
}

/**
 * A property path such as `$raionObslu.oktmo_nasPunkta.svyaz.ops` or `$status@`.
 * `segments` never is empty; `display` is true for a trailing `@` (the display value).
 */
export interface PathNode {
  readonly kind: 'path';
  readonly segments: readonly string[];
  readonly display: boolean;
  /** The path as written, without the leading `$`. */
  readonly text: string;
  readonly span: SourceSpan;
}

/**
 * A call of a library function. `lazy` marks an `&name(...)` argument: the callee receives the
 * un-evaluated formula and calls it per collection element.
 */
export interface CallNode {
  readonly kind: 'call';
  readonly name: string;
  readonly lazy: boolean;
  readonly args: readonly FormulaNode[];
  readonly span: SourceSpan;
}

/** A JSON array in an object formula: evaluated element-wise into a JS array. */
export interface ArrayNode {
  readonly kind: 'array';
  readonly items: readonly FormulaNode[];
  readonly span: SourceSpan;
}

/**
 * A JSON object with no function key: ION keeps it as a plain data object whose values are
 * evaluated (e.g. pm-gov-ru's `{"year": [...]}`).
 */
export interface ObjectNode {
  readonly kind: 'object';
  readonly entries: readonly { readonly key: string; readonly value: FormulaNode }[];
  readonly span: SourceSpan;
}

export type FormulaNode = LiteralNode | PathNode | CallNode | ArrayNode | ObjectNode;

export type NodeKind = FormulaNode['kind'];

/** Fails the build when a switch over node kinds misses one. */
export function assertNever(value: never): never {
  throw new Error(`unexpected AST node: ${JSON.stringify(value)}`);
}

// ---- builders: the only way nodes are made ----

export const literal = (value: LiteralNode['value'], span: SourceSpan): LiteralNode => ({
  kind: 'literal',
  value,
  span,
});

/** Whether path text (without `$`) has no empty segment: `a.b`, `a@` are valid; ``, `a..b`, `.a` are not. */
export function isValidPathText(text: string): boolean {
  const body = text.endsWith('@') ? text.slice(0, -1) : text;
  return body.split('.').every((segment) => segment !== '');
}

/** Builds a path node from its text without the `$` (e.g. `a.b@`). */
export function path(text: string, span: SourceSpan): PathNode {
  const display = text.endsWith('@');
  const body = display ? text.slice(0, -1) : text;
  return { kind: 'path', segments: body.split('.'), display, text, span };
}

export const call = (
  name: string,
  lazy: boolean,
  args: readonly FormulaNode[],
  span: SourceSpan,
): CallNode => ({ kind: 'call', name, lazy, args, span });

export const array = (items: readonly FormulaNode[], span: SourceSpan): ArrayNode => ({
  kind: 'array',
  items,
  span,
});

export const object = (entries: ObjectNode['entries'], span: SourceSpan): ObjectNode => ({
  kind: 'object',
  entries,
  span,
});

/** Visits every node depth-first, parents before children. */
export function walk(node: FormulaNode, visit: (node: FormulaNode) => void): void {
  visit(node);
  switch (node.kind) {
    case 'literal':
    case 'path':
      return;
    case 'call':
      for (const arg of node.args) walk(arg, visit);
      return;
    case 'array':
      for (const item of node.items) walk(item, visit);
      return;
    case 'object':
      for (const entry of node.entries) walk(entry.value, visit);
      return;
    default:
      assertNever(node);
  }
}
