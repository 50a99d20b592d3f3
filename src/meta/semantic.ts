/**
 * Semantic templates compiled into formulas, exactly as ION's `createSemanticFunc` does
 * (ion-spec §3): split on `|`; a part whose token is an attribute (at least two word characters,
 * dotted only through references) becomes its display value `$token@`, with `[start,len]` a
 * `substr` of it; every other part is literal text, untrimmed; the result is `concat(parts…)`.
 */
import * as ast from '../formula/ast.ts';
import type { FormulaNode } from '../formula/ast.ts';
import { textSpan } from '../formula/diagnostics.ts';
import type { ClassMeta } from './model.ts';
import { PropertyType } from './property-types.ts';
import type { MetaRepository } from './repository.ts';

const PART = /^([^\s[]+)\s*(\[\s*(\d+)(\s*,\s*(\d+))?\s*\])?$/;
// ASCII word characters, first and last not a dot: so single letters never qualify (ION's quirk).
const TOKEN = /^\w[\w.]*\w$/;

/** Compiles a string semantic of class `cls` into a `concat` formula with spans into `template`. */
export function compileSemantic(repo: MetaRepository, cls: ClassMeta, template: string): FormulaNode {
  const parts: FormulaNode[] = [];
  let start = 0;
  for (const part of template.split('|')) {
    const end = start + part.length;
    parts.push(...compilePart(repo, cls, template, part, start));
    start = end + 1;
  }
  return ast.call('concat', false, parts, textSpan(template, 0, template.length));
}

function compilePart(repo: MetaRepository, cls: ClassMeta, template: string, part: string, at: number): FormulaNode[] {
  const trimmed = part.trim();
  const match = PART.exec(trimmed);
  const token = match?.[1];
  if (match && token && TOKEN.test(token) && resolvesToAttribute(repo, cls, token)) {
    const tokenStart = at + part.indexOf(token);
    const span = textSpan(template, tokenStart, tokenStart + token.length);
    const display = ast.path(`${token}@`, span);
    if (match[3] === undefined) return [display];
    const partSpan = textSpan(template, at + part.indexOf(trimmed), at + part.indexOf(trimmed) + trimmed.length);
    const args: FormulaNode[] = [display, ast.literal(Number(match[3]), partSpan)];
    if (match[5] !== undefined) args.push(ast.literal(Number(match[5]), partSpan));
    return [ast.call('substr', false, args, partSpan)];
  }
  // Empty parts add nothing to the concatenation.
  return part === '' ? [] : [ast.literal(part, textSpan(template, at, at + part.length))];
}

/** ION checks the token against the class: each hop but the last through a REFERENCE. */
function resolvesToAttribute(repo: MetaRepository, cls: ClassMeta, token: string): boolean {
  const segments = token.split('.');
  let current: ClassMeta | undefined = cls;
  for (let i = 0; i < segments.length; i++) {
    const property = current?.propertyByName.get(segments[i]!);
    if (!property) return false;
    if (i === segments.length - 1) return true;
    if (property.type !== PropertyType.REFERENCE || !property.link?.target) return false;
    current = repo.classes.get(property.link.target);
  }
  return false;
}

/**
 * The object-syntax formula equivalent to a compiled semantic, so the recompute layer can compile
 * it with `compileFormula` like any attribute formula. Literal text starting with `$` would read
 * as a path in object syntax; it is spelled `{"substr": ["_$…", 1]}`, which yields the same text.
 */
export function toObjectSyntax(node: FormulaNode): unknown {
  switch (node.kind) {
    case 'literal':
      return typeof node.value === 'string' && node.value.startsWith('$') ? { substr: [`_${node.value}`, 1] } : node.value;
    case 'path':
      return `$${node.text}`;
    case 'call':
      return { [`${node.lazy ? '&' : ''}${node.name}`]: node.args.map(toObjectSyntax) };
    case 'array':
      return node.items.map(toObjectSyntax);
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, toObjectSyntax(e.value)]));
    default:
      return ast.assertNever(node);
  }
}
