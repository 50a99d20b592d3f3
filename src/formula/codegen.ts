/**
 * AST → JavaScript source of an evaluator.
 *
 * Generated code is what makes evaluation fast (the scalar benchmark needs it), so it is produced
 * the way Ajv does it: no formula text is ever pasted into code. Strings go through
 * `JSON.stringify`, other constants are passed in an array, functions are referenced by index,
 * and an attribute name becomes a `.name` property access only when it is a plain identifier that
 * no built-in prototype defines; anything else is read through the graph.
 */
import { assertNever, type CallNode, type FormulaNode, type PathNode } from './ast.ts';
import { FUNCTION_CATALOG } from './functions/catalog.ts';
import type { FunctionImpl } from './functions/spec.ts';

/** How attribute reads are emitted. */
export type ReadMode =
  /** Plain JS objects: own properties read inline (`o.name`). */
  | 'plain'
  /** Any `ObjectGraph`: every read goes through `graph.get` / `walkPath`. */
  | 'graph';

export interface GeneratedEvaluator {
  /** Function body taking (K, F, W, LZ, OBJ) and returning `evaluate(o, g, env)`. */
  readonly source: string;
  /** Constants referenced as K[i]. */
  readonly constants: unknown[];
  /** Library implementations referenced as F[i]. */
  readonly functions: FunctionImpl[];
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Every property name a built-in prototype (or Object itself) defines: never read inline. */
const BUILTIN_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>(['__proto__', 'length', 'prototype', 'constructor']);
  const protos: object[] = [
    Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype,
    Date.prototype, Function.prototype, Symbol.prototype, BigInt.prototype, RegExp.prototype,
  ];
  for (const proto of protos) for (const name of Object.getOwnPropertyNames(proto)) names.add(name);
  return names;
})();

/** True when `o.name` can be emitted: a plain identifier no built-in prototype defines. */
export function isInlineSafeName(name: string): boolean {
  return IDENTIFIER.test(name) && !BUILTIN_NAMES.has(name);
}

/** Scope of one generated function: its temporaries. */
class Scope {
  private count = 0;
  temp(): string {
    return `t${this.count++}`;
  }
  declarations(): string {
    if (this.count === 0) return '';
    return `let ${Array.from({ length: this.count }, (_, i) => `t${i}`).join(', ')};`;
  }
}

export class CodeGenerator {
  private readonly constants: unknown[] = [];
  private readonly functions: FunctionImpl[] = [];
  private readonly functionIndex = new Map<string, number>();
  private readonly hoisted: string[] = [];
  private lazyCount = 0;

  constructor(
    private readonly mode: ReadMode,
    private readonly resolve: (name: string) => FunctionImpl | undefined,
  ) {}

  generate(root: FormulaNode): GeneratedEvaluator {
    const scope = new Scope();
    const body = this.expr(root, scope);
    const source = [
      "'use strict';",
      ...this.hoisted,
      `return function evaluate(o, g, env) { ${scope.declarations()} return ${body}; };`,
    ].join('\n');
    return { source, constants: this.constants, functions: this.functions };
  }

  private constant(value: unknown): string {
    this.constants.push(value);
    return `K[${this.constants.length - 1}]`;
  }

  private fn(name: string): string {
    let index = this.functionIndex.get(name);
    if (index === undefined) {
      const impl = this.resolve(name);
      if (!impl) throw new Error(`no implementation for library function ${name}`);
      index = this.functions.push(impl) - 1;
      this.functionIndex.set(name, index);
    }
    return `F[${index}]`;
  }

  private expr(node: FormulaNode, scope: Scope): string {
    switch (node.kind) {
      case 'literal':
        return this.literal(node.value);
      case 'path':
        return this.path(node);
      case 'array':
        return `[${node.items.map((item) => this.expr(item, scope)).join(', ')}]`;
      case 'object': {
        const keys = JSON.stringify(node.entries.map((e) => e.key));
        const values = node.entries.map((e) => this.expr(e.value, scope)).join(', ');
        return `OBJ(${keys}, [${values}])`;
      }
      case 'call':
        return node.lazy ? this.lazy(node, node.name) : this.call(node, scope);
      default:
        return assertNever(node);
    }
  }

  private literal(value: string | number | boolean | null): string {
    if (typeof value === 'string') return JSON.stringify(value);
    if (typeof value === 'number') {
      // Non-finite numbers and -0 have no plain literal form: pass them as constants.
      if (!Number.isFinite(value) || Object.is(value, -0)) return this.constant(value);
      return value < 0 ? `(${String(value)})` : String(value);
    }
    return String(value); // true, false, null
  }

  private path(node: PathNode): string {
    const only = node.segments[0] as string;
    if (this.mode === 'plain' && node.segments.length === 1 && !node.display && isInlineSafeName(only)) {
      return `(o.${only} ?? null)`;
    }
    return `W(g, o, ${this.constant(node.segments)}, ${node.display})`;
  }

  /** A lazy formula value: the expression compiled as a function of the element. */
  private lazy(node: FormulaNode, name: string): string {
    const inner = new Scope();
    const target = node.kind === 'call' ? { ...node, lazy: false } : node;
    const body = this.expr(target, inner);
    const id = `L${this.lazyCount++}`;
    // Elements may be null or primitives: give the body an empty object so inline reads are null.
    this.hoisted.push(
      `function ${id}(o, g, env) { if (o === null || o === undefined) o = EMPTY; ${inner.declarations()} return ${body}; }`,
    );
    return `new LZ((e) => ${id}(e, g, env), ${JSON.stringify(name)})`;
  }

  private call(node: CallNode, scope: Scope): string {
    const meta = FUNCTION_CATALOG.get(node.name);
    if (!meta) throw new Error(`unknown function ${node.name}`);
    const args = node.args.slice(0, meta.evalLimit);
    switch (node.name) {
      case 'if': {
        const [c, t, e] = args.map((a) => this.expr(a, scope));
        return `(${c ?? 'undefined'} ? ${t ?? 'undefined'} : ${e ?? 'undefined'})`;
      }
      case 'and':
        return this.chain(args, scope, 'false');
      case 'or':
        return this.chain(args, scope, 'true');
      case 'add':
        // ION folds from 0 (and from 1 for mul) with the JS operator.
        return `(0 + ${args.map((a) => this.expr(a, scope)).join(' + ') || '0'})`;
      case 'mul':
        return `(1 * ${args.map((a) => this.expr(a, scope)).join(' * ') || '1'})`;
      default:
        break;
    }
    const lazyAt = new Set(meta.autoLazy ?? []);
    const parts = args.map((arg, i) => (lazyAt.has(i) ? this.lazy(arg, node.name) : this.expr(arg, scope)));
    return `${this.fn(node.name)}(env, [${parts.join(', ')}])`;
  }

  /** `and`/`or`: left to right, stop at the first value `=== stop`, else the last value. */
  private chain(args: readonly FormulaNode[], scope: Scope, stop: 'true' | 'false'): string {
    if (args.length === 0) return 'false';
    const t = scope.temp();
    let code = this.expr(args[args.length - 1] as FormulaNode, scope);
    for (let i = args.length - 2; i >= 0; i--) {
      code = `((${t} = ${this.expr(args[i] as FormulaNode, scope)}) === ${stop} ? ${stop} : ${code})`;
    }
    return code;
  }
}
