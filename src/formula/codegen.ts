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
import { isBinaryOpName } from './functions/binary-ops.ts';
import type { FunctionImpl } from './functions/spec.ts';

/** How attribute reads are emitted. */
export type ReadMode =
  /** Plain JS objects: own properties read inline (`o.name`). */
  | 'plain'
  /** Any `ObjectGraph`: every read goes through `graph.get` / `walkPath`. */
  | 'graph';

export interface GeneratedEvaluator {
  /**
   * Function body taking (K, F, W, LZ, OBJ, EMPTY, SV, WRAP, NOT_OBJECT, OPS, ISOBJ, PRIM) and returning
   * `bind(g, env)`, which returns `(o) => value`.
   */
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

/** Functions whose result is never an object or array (so inlined operators need no conversion). */
const PRIMITIVE_RESULTS: ReadonlySet<string> = new Set([
  'add', 'mul', 'sub', 'div', 'round', 'concat', 'eq', 'ne', 'lt', 'gt', 'lte', 'gte', 'not', 'empty', 'nempty',
  'size', 'upper', 'lower', 'substr', 'pad', 'like', 'in', 'count', 'dateFormat', 'format', 'dateDiff',
]);

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
    // `bind(g, env)` returns the evaluator with graph and environment closed over, so a hot loop
    // pays one call per object. Errors other than ION's own become FormulaRuntimeError (WRAP).
    const guard =
      this.mode === 'plain' ? 'if (o === null || typeof o !== "object") throw NOT_OBJECT(o);' : '';
    const source = [
      "'use strict';",
      ...this.hoisted,
      `function evaluate(o, g, env) { ${scope.declarations()} return ${body}; }`,
      'return function bind(g, env) {',
      `  return function bound(o) { ${guard} try { return evaluate(o, g, env); } catch (e) { throw WRAP(e); } };`,
      '};',
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
        // ION folds from 0 (and from 1 for mul) with the JS operator; objects and arrays take part
        // as their text (an object's semantic), as ION's Item.toString makes them.
        return `(0 + ${args.map((a) => this.operand(a, scope)).join(' + ') || '0'})`;
      case 'mul':
        return `(1 * ${args.map((a) => this.operand(a, scope)).join(' * ') || '1'})`;
      default:
        break;
    }
    if (isBinaryOpName(node.name) && args.length === 2) {
      return `OPS.${node.name}(g, ${this.expr(args[0] as FormulaNode, scope)}, ${this.expr(args[1] as FormulaNode, scope)})`;
    }
    if ((node.name === 'count' || node.name === 'sum') && this.canInlineAggregate(node)) {
      return this.inlineAggregate(node, scope);
    }
    const lazyAt = new Set(meta.autoLazy ?? []);
    const parts = args.map((arg, i) => (lazyAt.has(i) ? this.lazy(arg, node.name) : this.expr(arg, scope)));
    return `${this.fn(node.name)}(env, [${parts.join(', ')}])`;
  }

  /**
   * `count(coll, &cond?, unique?)` and `sum(coll, attr, &cond?, unique?)` with a literal, undotted
   * attribute compile to a loop (no per-element allocation or indirection); a first argument that
   * is not an array at run time (class form, null) goes to the library function.
   */
  private canInlineAggregate(node: CallNode): boolean {
    const condAt = node.name === 'count' ? 1 : 2;
    const cond = node.args[condAt];
    if (cond !== undefined && !(cond.kind === 'call' && cond.lazy)) return false;
    if (node.name === 'sum') {
      const attr = node.args[1];
      const simple = attr?.kind === 'literal' && typeof attr.value === 'string' && attr.value !== '' && !attr.value.includes('.');
      return simple && node.args.length <= 4;
    }
    return node.args.length <= 3;
  }

  private inlineAggregate(node: CallNode, scope: Scope): string {
    const isSum = node.name === 'sum';
    const condAt = isSum ? 2 : 1;
    const cond = node.args[condAt] as CallNode | undefined;
    const uniqueNode = node.args[condAt + 1];
    const loop = new Scope();
    const test = cond ? `if (!(${this.expr({ ...cond, lazy: false }, loop)})) continue;` : '';
    let accumulate = 'r++;';
    if (isSum) {
      const attr = (node.args[1] as { value: string }).value;
      // A non-object element has no attribute: ION adds undefined (NaN). In plain mode the raw
      // read already is undefined for those, so the object test runs only on a miss.
      const read =
        this.mode === 'plain' && isInlineSafeName(attr)
          ? `v = o.${attr}; if (v === undefined) v = ISOBJ(o) ? null : undefined;`
          : `v = g.isObject(o) ? W(g, o, ${this.constant([attr])}, false) : undefined;`;
      // ION's Item.get gives a linked object's id; JS `+` as in ION (strings concatenate).
      accumulate = `${read} if (v !== null && typeof v === 'object') v = SV(g, v); if (v !== null) r = r + v;`;
    }
    const id = `A${this.lazyCount++}`;
    this.hoisted.push(
      [
        `function ${id}(c, u, g, env) { let r = 0, v, k; const seen = u ? new Set() : null; ${loop.declarations()}`,
        `for (let i = 0; i < c.length; i++) { const o = c[i]; if (!o) continue; ${test}`,
        // unique: objects count once by id, other values by identity (NaN never repeats).
        `if (seen !== null) { k = g.isObject(o) ? g.idOf(o) : o; if (k === k) { if (seen.has(k)) continue; seen.add(k); } }`,
        `${accumulate} } return r; }`,
      ].join(' '),
    );
    const coll = scope.temp();
    const unique = scope.temp();
    const args = node.args.slice(0, 5).map((arg, i) =>
      i === 0 ? coll : i === condAt + 1 ? unique : arg.kind === 'call' && arg.lazy ? this.lazy(arg, arg.name) : this.expr(arg, scope),
    );
    const uniqueExpr = uniqueNode ? this.expr(uniqueNode, scope) : 'undefined';
    return `((${coll} = ${this.expr(node.args[0] as FormulaNode, scope)}), (${unique} = ${uniqueExpr}), Array.isArray(${coll}) ? ${id}(${coll}, ${unique}, g, env) : ${this.fn(node.name)}(env, [${args.join(', ')}]))`;
  }

  /** An operand of an inlined operator: wrapped in PRIM unless it can only be a primitive. */
  private operand(node: FormulaNode, scope: Scope): string {
    const code = this.expr(node, scope);
    const primitive = node.kind === 'literal' || (node.kind === 'call' && PRIMITIVE_RESULTS.has(node.name) && !node.lazy);
    return primitive ? code : `PRIM(g, ${code})`;
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
