/**
 * Binding a formula's AST to the class it is evaluated on: every path resolved into hops, the
 * element class of aggregations found for the paths of lazy conditions and the attribute
 * argument, class-form aggregations resolved; arity, unknown classes and lazy arguments that
 * nothing consumes reported.
 */
import type { CallNode, FormulaNode, SourceSpan } from '../formula/ast.ts';
import { assertNever } from '../formula/ast.ts';
import { FUNCTION_CATALOG } from '../formula/functions/catalog.ts';
import { bindPath, endClass } from './bind-path.ts';
import type { BoundClassRead, BoundPath, Hop, PathOrigin } from './bound.ts';
import { MetaCodes } from './diagnostics.ts';
import { reportInFormula, type FormulaSite } from './formula-site.ts';
import type { ClassMeta } from './model.ts';
import type { MetaRepository } from './repository.ts';
import type { DiagnosticSink } from './sink.ts';

const AGGREGATES = new Set(['count', 'sum', 'avg', 'max', 'min', 'merge']);
/** Aggregations whose 2nd argument names an attribute of each element (dots allowed). */
const ATTRIBUTE_ARG = new Set(['sum', 'avg', 'max', 'min', 'merge']);
/** Functions whose 1st argument is used as a collection, not as a value to display. */
const COLLECTION_USERS = new Set([...AGGREGATES, 'empty', 'nempty', 'size', 'contains', 'element', 'in']);

/** The objects a node is evaluated on: the formula's object, or each element of a collection. */
interface Scope {
  /** `undefined`: the elements' class is not known (the collection is not a plain path). */
  readonly cls: ClassMeta | undefined;
  readonly prefix: readonly Hop[];
  readonly prefixSegments: readonly string[];
  readonly origin: PathOrigin;
  /** The elements' class is unknown because their collection path failed to bind (already reported). */
  readonly quiet?: boolean;
}

export interface BindFormulaResult {
  readonly paths: BoundPath[];
  readonly classReads: BoundClassRead[];
}

export function bindFormulaAst(
  repo: MetaRepository,
  sink: DiagnosticSink,
  site: FormulaSite,
  owner: ClassMeta,
  root: FormulaNode,
  origin: PathOrigin = 'path',
): BindFormulaResult {
  const paths: BoundPath[] = [];
  const classReads: BoundClassRead[] = [];
  const report = (span: SourceSpan, code: Parameters<typeof reportInFormula>[3], severity: 'error' | 'warning', message: string): void =>
    reportInFormula(sink, site, span, code, severity, message);
  let unboundReported = false;

  const bindSegments = (segments: readonly string[], display: boolean, span: SourceSpan, scope: Scope, use: BoundPath['use']): BoundPath | undefined => {
    if (!scope.cls) {
      if (!unboundReported && !scope.quiet) {
        report(span, MetaCodes.unboundRead, 'warning', `the objects ${segments.join('.')} is read on are not known (the aggregated collection is not a path): not bound`);
        unboundReported = true;
      }
      return undefined;
    }
    const binding = bindPath(repo, scope.cls, segments);
    const seen = new Set<string>();
    for (const problem of binding.problems) {
      if (seen.has(problem.message)) continue;
      seen.add(problem.message);
      const where = segments.length > 1 ? ` (in ${segments.join('.')})` : '';
      report(span, problem.code, problem.severity, `${problem.message}${where}`);
    }
    if (!binding.complete) return undefined;
    const bound: BoundPath = {
      segments: [...scope.prefixSegments, ...segments],
      hops: [...scope.prefix, ...binding.hops],
      display,
      origin: scope.origin,
      use,
      span,
    };
    paths.push(bound);
    return bound;
  };

  const visit = (node: FormulaNode, scope: Scope, use: BoundPath['use'] = 'value'): BoundPath | undefined => {
    switch (node.kind) {
      case 'literal':
        return undefined;
      case 'path':
        // `$$uid`, `$$prop`: context variables of default values, not attributes.
        if (node.segments[0]!.startsWith('$')) return undefined;
        return bindSegments(node.segments, node.display, node.span, scope, use);
      case 'array':
        for (const item of node.items) visit(item, scope);
        return undefined;
      case 'object':
        for (const entry of node.entries) visit(entry.value, scope);
        return undefined;
      case 'call':
        visitCall(node, scope);
        return undefined;
      default:
        return assertNever(node);
    }
  };

  const visitCall = (node: CallNode, scope: Scope): void => {
    const meta = FUNCTION_CATALOG.get(node.name);
    if (!meta) {
      report(node.span, MetaCodes.unknownFunction, 'error', `unknown function ${node.name}`);
      for (const arg of node.args) visit(arg, scope);
      return;
    }
    const n = node.args.length;
    if (n < meta.minArgs || n > meta.maxArgs) {
      const range = meta.maxArgs === Number.POSITIVE_INFINITY ? `at least ${meta.minArgs}` : meta.minArgs === meta.maxArgs ? `${meta.minArgs}` : `${meta.minArgs} to ${meta.maxArgs}`;
      const message = `${node.name} takes ${range} argument${meta.maxArgs === 1 ? '' : 's'}, got ${n}`;
      // Too few changes the result (`eq(x)` is always false); extra ones ION ignores (`{"now": [null]}` in develop-and-test).
      if (n < meta.minArgs) report(node.span, MetaCodes.arity, 'error', message);
      else report(node.span, MetaCodes.extraArguments, 'warning', `${message}: the extra ones are ignored`);
    }
    // ION never evaluates arguments past the limit: they read nothing.
    const args = node.args.slice(0, meta.evalLimit);
    const first = args[0];
    if (first?.kind === 'literal' && typeof first.value === 'string' && (AGGREGATES.has(node.name) || node.name === 'get')) {
      visitClassRead(node, first.value, args, scope);
      return;
    }
    const consumes = new Set([...(meta.consumesLazy ?? []), ...(meta.autoLazy ?? [])]);
    const autoLazy = new Set(meta.autoLazy ?? []);
    let elementScope: Scope | undefined;
    const elements = (collection: BoundPath | undefined): Scope => {
      if (elementScope) return elementScope;
      const target = collection && !collection.display ? endClass(collection.hops) : undefined;
      elementScope = target
        ? { cls: repo.get(target), prefix: collection!.hops, prefixSegments: collection!.segments, origin: 'element' }
        : { cls: undefined, prefix: [], prefixSegments: [], origin: 'element', quiet: args[0]?.kind === 'path' && !collection };
      return elementScope;
    };
    let collection: BoundPath | undefined;
    args.forEach((arg, index) => {
      const lazyHere = arg.kind === 'call' && arg.lazy;
      if (index === 0) {
        collection = visit(arg, scope, COLLECTION_USERS.has(node.name) ? 'collection' : 'value');
      } else if (consumes.has(index) && (lazyHere || autoLazy.has(index))) {
        visit(arg, elements(collection));
      } else if (index === 1 && ATTRIBUTE_ARG.has(node.name) && arg.kind === 'literal' && typeof arg.value === 'string' && arg.value !== '') {
        const s = elements(collection);
        bindSegments(arg.value.split('.'), false, arg.span, { ...s, origin: 'attributeArg' }, 'value');
      } else {
        if (lazyHere) {
          report(arg.span, MetaCodes.unconsumedLazy, 'warning', `&${arg.name}: ${node.name} does not call a lazy argument at position ${index + 1}; it receives a function value`);
        }
        visit(arg, scope);
      }
    });
  };

  const visitClassRead = (node: CallNode, written: string, args: readonly FormulaNode[], scope: Scope): void => {
    const canonical = repo.resolve(written, owner.namespace);
    if (!canonical) {
      report(args[0]!.span, MetaCodes.unknownClassInFormula, 'error', `${node.name}: unknown class ${written}`);
      for (const arg of args.slice(1)) visit(arg, scope);
      return;
    }
    const cls = repo.get(canonical);
    const attributes: string[] = [];
    const ties: { attribute: string; ownerAttribute: string }[] = [];
    const checkAttribute = (name: string, span: SourceSpan): void => {
      if (!cls.propertyByName.has(name) && !repo.findInDescendants(cls, name)) {
        report(span, MetaCodes.unknownAttribute, 'error', `class ${cls.name} has no attribute ${name}`);
        return;
      }
      attributes.push(name);
    };
    // Key/value pairs: the value is evaluated on the formula's object; a plain `$attr` ties them.
    const pairs = (list: readonly FormulaNode[]): void => {
      for (let i = 0; i < list.length; i += 2) {
        const key = list[i]!;
        const value = list[i + 1];
        if (key.kind === 'literal' && typeof key.value === 'string') checkAttribute(key.value, key.span);
        else visit(key, scope);
        if (!value) continue;
        const bound = visit(value, scope);
        if (key.kind === 'literal' && typeof key.value === 'string' && bound && scope.prefix.length === 0 && bound.hops.length === 1) {
          ties.push({ attribute: key.value, ownerAttribute: bound.hops[0]!.attribute });
        }
      }
    };
    if (node.name === 'get') {
      if (args.length === 2) {
        attributes.push(...cls.key);
        const bound = visit(args[1]!, scope);
        if (bound && scope.prefix.length === 0 && bound.hops.length === 1 && cls.key.length === 1) {
          ties.push({ attribute: cls.key[0]!, ownerAttribute: bound.hops[0]!.attribute });
        }
      } else {
        // A trailing array lists paths to load eagerly; it is not a criterion.
        const last = args[args.length - 1];
        const criteria = last?.kind === 'array' && args.length % 2 === 0 ? args.slice(1, -1) : args.slice(1);
        pairs(criteria);
      }
    } else {
      const attr = args[1];
      if (attr?.kind === 'literal' && typeof attr.value === 'string' && attr.value !== '') checkAttribute(attr.value.split('.')[0]!, attr.span);
      else if (attr) visit(attr, scope);
      const filter = args[2];
      if (filter?.kind === 'call' && filter.name === 'obj') pairs(filter.args);
      else if (filter) visit(filter, scope);
      for (const arg of args.slice(3)) visit(arg, scope);
    }
    classReads.push({ fn: node.name, className: canonical, attributes, ties, span: node.span });
  };

  visit(root, { cls: owner, prefix: [], prefixSegments: [], origin });
  return { paths, classReads };
}
