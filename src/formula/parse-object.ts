/**
 * The object (JSON) syntax: `{"count": ["$x", {"&eq": ["$gops", "b"]}, 1]}` → AST.
 *
 * ION's rules (`parser.js`, `parseObject`): the first key naming a library function makes the
 * call (a leading `&` marks it lazy); an object with no such key is plain data whose values are
 * parsed; strings starting with `$` are paths, every other string is a literal as written.
 */
import * as ast from './ast.ts';
import type { FormulaNode, JsonSpan } from './ast.ts';
import { DiagnosticCodes, type FormulaDiagnostic } from './diagnostics.ts';
import { isLibraryFunction } from './functions/catalog.ts';

/** Deeper nesting than this is rejected (guards the compiler's recursion). */
export const MAX_FORMULA_DEPTH = 64;

export interface ObjectParseResult {
  readonly ast: FormulaNode | undefined;
  readonly diagnostics: FormulaDiagnostic[];
}

const pointerToken = (key: string | number): string =>
  String(key).replace(/~/g, '~0').replace(/\//g, '~1');

const span = (pointer: string): JsonSpan => ({ kind: 'json', pointer });

export function parseObjectFormula(value: unknown): ObjectParseResult {
  const diagnostics: FormulaDiagnostic[] = [];
  const report = (
    code: FormulaDiagnostic['code'],
    severity: FormulaDiagnostic['severity'],
    message: string,
    pointer: string,
  ): void => {
    diagnostics.push({ code, severity, message, span: span(pointer) });
  };

  const parseValue = (v: unknown, pointer: string, depth: number): FormulaNode | undefined => {
    if (depth > MAX_FORMULA_DEPTH) {
      report(DiagnosticCodes.tooDeep, 'error', `formula is nested deeper than ${MAX_FORMULA_DEPTH} levels`, pointer);
      return undefined;
    }
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return ast.literal(v, span(pointer));
    if (typeof v === 'string') {
      if (!v.startsWith('$')) return ast.literal(v, span(pointer));
      const text = v.slice(1);
      if (!ast.isValidPathText(text)) {
        report(DiagnosticCodes.badPath, 'error', `"${v}" is not a valid attribute path`, pointer);
        return undefined;
      }
      return ast.path(text, span(pointer));
    }
    if (Array.isArray(v)) {
      const items: FormulaNode[] = [];
      v.forEach((item, i) => {
        const node = parseValue(item, `${pointer}/${i}`, depth + 1);
        if (node) items.push(node);
      });
      return ast.array(items, span(pointer));
    }
    if (typeof v === 'object') return parseObject(v as Record<string, unknown>, pointer, depth);
    report(DiagnosticCodes.badValue, 'error', `a formula cannot contain a value of type ${typeof v}`, pointer);
    return undefined;
  };

  const parseObject = (o: Record<string, unknown>, pointer: string, depth: number): FormulaNode | undefined => {
    const keys = Object.keys(o);
    const entries: { key: string; value: FormulaNode }[] = [];
    for (const [index, key] of keys.entries()) {
      const lazy = key.startsWith('&');
      const name = lazy ? key.slice(1) : key;
      const keyPointer = `${pointer}/${pointerToken(key)}`;
      if (isLibraryFunction(name)) {
        if (index < keys.length - 1) {
          report(DiagnosticCodes.extraKeys, 'warning', `keys after "${key}" are ignored: ${keys.slice(index + 1).join(', ')}`, pointer);
        }
        const rawArgs = o[key];
        const args: FormulaNode[] = [];
        if (Array.isArray(rawArgs)) {
          rawArgs.forEach((arg, i) => {
            const node = parseValue(arg, `${keyPointer}/${i}`, depth + 1);
            if (node) args.push(node);
          });
        } else {
          // ION passes a non-array as is and no function reads it: `{"now": null}`, `{"concat": "$x"}` → "".
          report(DiagnosticCodes.argsNotArray, 'warning', `arguments of ${name} are not an array; they are ignored`, keyPointer);
        }
        return ast.call(name, lazy, args, span(pointer));
      }
      report(DiagnosticCodes.unknownKey, 'warning', `"${key}" is not a library function; the object is kept as plain data`, keyPointer);
      const value = parseValue(o[key], keyPointer, depth + 1);
      if (value) entries.push({ key, value });
    }
    return ast.object(entries, span(pointer));
  };

  const root = parseValue(value, '', 0);
  const failed = diagnostics.some((d) => d.severity === 'error');
  return { ast: failed ? undefined : root, diagnostics };
}
