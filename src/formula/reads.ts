/**
 * Which data a formula reads, collected from the AST at compile time. The loader plans its
 * batched queries from these, and the meta layer binds them to classes to build the dependency
 * graph.
 */
import { assertNever, type CallNode, type FormulaNode, type SourceSpan } from './ast.ts';
import { FUNCTION_CATALOG } from './functions/catalog.ts';

/** A path read from the formula's context object, e.g. `raionObslu.oktmo_nasPunkta.svyaz.ops.gops`. */
export interface PathRead {
  readonly kind: 'path';
  /** Segments from the context object. Reads made per element of an aggregated collection are
   *  prefixed with the collection's path, so they too start at the context object. */
  readonly segments: readonly string[];
  /** A trailing `@`: the display value of the last attribute is read. */
  readonly display: boolean;
  /**
   * `path`: a `$path`; `element`: a path inside a lazy condition or the attribute argument of an
   * aggregation, read on each element of the first argument.
   */
  readonly via: 'path' | 'element';
  /** False when the element reads could not be anchored (the collection is not a plain path). */
  readonly anchored: boolean;
  readonly span: SourceSpan;
}

/** A class-form aggregation or `get(class, ...)`: reads objects of a whole class. */
export interface ClassRead {
  readonly kind: 'class';
  readonly fn: string;
  readonly className: string;
  /** The aggregated attribute, when given as a literal. */
  readonly attribute: string | null;
  /** Attributes the filter constrains (`obj(k1, v1, ...)` keys given as literals). */
  readonly filterAttributes: readonly string[];
  readonly span: SourceSpan;
}

export type FormulaRead = PathRead | ClassRead;

const AGGREGATES = new Set(['count', 'sum', 'avg', 'max', 'min', 'merge']);
/** Aggregations whose 2nd argument names an attribute of each element. */
const ATTRIBUTE_ARG = new Set(['sum', 'avg', 'max', 'min', 'merge']);

/** Collects every read of a formula, in source order, without duplicates. */
export function collectReads(root: FormulaNode): FormulaRead[] {
  const reads: FormulaRead[] = [];
  const seen = new Set<string>();
  const add = (read: FormulaRead): void => {
    const key =
      read.kind === 'path'
        ? `p:${read.segments.join('.')}${read.display ? '@' : ''}:${read.anchored}`
        : `c:${read.fn}:${read.className}:${read.attribute ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    reads.push(read);
  };

  /** `prefix`: segments of the collection the current node is evaluated on each element of. */
  const visit = (node: FormulaNode, prefix: readonly string[] | null, via: PathRead['via']): void => {
    switch (node.kind) {
      case 'literal':
        return;
      case 'path':
        add({
          kind: 'path',
          segments: prefix ? [...prefix, ...node.segments] : node.segments,
          display: node.display,
          via,
          anchored: prefix !== null || via === 'path',
          span: node.span,
        });
        return;
      case 'array':
        for (const item of node.items) visit(item, prefix, via);
        return;
      case 'object':
        for (const entry of node.entries) visit(entry.value, prefix, via);
        return;
      case 'call':
        visitCall(node, prefix, via);
        return;
      default:
        assertNever(node);
    }
  };

  const visitCall = (node: CallNode, prefix: readonly string[] | null, via: PathRead['via']): void => {
    const meta = FUNCTION_CATALOG.get(node.name);
    const args = meta ? node.args.slice(0, meta.evalLimit) : node.args;
    const first = args[0];
    if (AGGREGATES.has(node.name) && first?.kind === 'literal' && typeof first.value === 'string') {
      addClassRead(node, first.value);
      for (const arg of args.slice(1)) visit(arg, prefix, via);
      return;
    }
    if (node.name === 'get' && first?.kind === 'literal' && typeof first.value === 'string') {
      add({ kind: 'class', fn: 'get', className: first.value, attribute: null, filterAttributes: literalKeys(args.slice(1), 2), span: node.span });
      for (const arg of args.slice(1)) visit(arg, prefix, via);
      return;
    }
    // Element context: paths in lazy arguments and the attribute argument of an aggregation are
    // read on each element of the first argument.
    const consumes = new Set([...(meta?.consumesLazy ?? []), ...(meta?.autoLazy ?? [])]);
    const elementPrefix =
      first?.kind === 'path' && !first.display ? [...(prefix ?? []), ...first.segments] : null;
    args.forEach((arg, index) => {
      const perElement = index > 0 && (consumes.has(index) || (arg.kind === 'call' && arg.lazy));
      if (perElement) {
        visit(arg, elementPrefix, 'element');
      } else if (index === 1 && ATTRIBUTE_ARG.has(node.name) && arg.kind === 'literal' && typeof arg.value === 'string') {
        const segments = arg.value.split('.');
        add({
          kind: 'path',
          segments: elementPrefix ? [...elementPrefix, ...segments] : segments,
          display: false,
          via: 'element',
          anchored: elementPrefix !== null,
          span: arg.span,
        });
      } else {
        visit(arg, prefix, via);
      }
    });
  };

  const addClassRead = (node: CallNode, className: string): void => {
    const attr = node.args[1];
    const filter = node.args[2];
    add({
      kind: 'class',
      fn: node.name,
      className,
      attribute: attr?.kind === 'literal' && typeof attr.value === 'string' ? attr.value : null,
      filterAttributes: filter?.kind === 'call' && filter.name === 'obj' ? literalKeys(filter.args, 2) : [],
      span: node.span,
    });
  };

  visit(root, null, 'path');
  return reads;
}

/** String literals at positions 0, step, 2*step … (the keys of `obj(k1, v1, …)`). */
function literalKeys(args: readonly FormulaNode[], step: number): string[] {
  const keys: string[] = [];
  for (let i = 0; i < args.length; i += step) {
    const arg = args[i];
    if (arg?.kind === 'literal' && typeof arg.value === 'string') keys.push(arg.value);
  }
  return keys;
}
