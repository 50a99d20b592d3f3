/**
 * A JSON reader that remembers where every value starts, so that a problem found later (an
 * unknown `refClass`, a bad formula argument) can be reported as `file:line:col` from its JSON
 * pointer. `JSON.parse` gives neither positions of values nor a usable position for syntax errors.
 */
import { positionOf } from '../formula/diagnostics.ts';

/** Where a value begins: 0-based offset and 1-based line and column. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A parsed JSON document with the offset of every value, by RFC 6901 pointer. */
export interface JsonSource {
  readonly text: string;
  readonly value: unknown;
  /** Offset of the first character of the value at each pointer (`''` is the root). */
  readonly offsets: ReadonlyMap<string, number>;
}

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
  constructor(
    message: string,
    readonly position: SourcePosition,
  ) {
    super(message);
  }
}

/** Escapes one reference token of a JSON pointer. */
export const pointerToken = (key: string | number): string =>
  String(key).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Parses `text` as JSON (RFC 8259, no extensions).
 * @throws JsonSyntaxError with the line and column of the first offending character.
 */
export function parseJsonSource(text: string): JsonSource {
  const offsets = new Map<string, number>();
  let i = 0;

  const fail = (message: string, at = i): never => {
    const { line, column } = positionOf(text, at);
    throw new JsonSyntaxError(message, { offset: at, line, column });
  };
  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const describe = (at: number): string => (at >= text.length ? 'end of input' : `'${text[at]}'`);

  const parseString = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    let chunk = i;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(chunk, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(chunk, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          fail('invalid escape in string');
        }
        chunk = i;
        continue;
      }
      if (c < 32) fail('control character in string');
      i++;
    }
    return fail('unterminated string', start);
  };

  const parseValue = (pointer: string): unknown => {
    skipSpace();
    offsets.set(pointer, i);
    const c = text[i];
    if (c === '{') {
      i++;
      const result: Record<string, unknown> = {};
      skipSpace();
      if (text[i] === '}') {
        i++;
        return result;
      }
      for (;;) {
        skipSpace();
        if (text[i] !== '"') fail(`expected a property name, found ${describe(i)}`);
        const key = parseString();
        skipSpace();
        if (text[i] !== ':') fail(`expected ':', found ${describe(i)}`);
        i++;
        // defineProperty, not assignment: a "__proto__" key must stay data, as with JSON.parse.
        Object.defineProperty(result, key, { value: parseValue(`${pointer}/${pointerToken(key)}`), enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return result;
        }
        fail(`expected ',' or '}', found ${describe(i)}`);
      }
    }
    if (c === '[') {
      i++;
      const result: unknown[] = [];
      skipSpace();
      if (text[i] === ']') {
        i++;
        return result;
      }
      for (;;) {
        result.push(parseValue(`${pointer}/${result.length}`));
        skipSpace();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return result;
        }
        fail(`expected ',' or ']', found ${describe(i)}`);
      }
    }
    if (c === '"') return parseString();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!literal) return fail(`unexpected ${describe(i)}`);
    i += literal[0].length;
    const word = literal[0];
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
  };

  // A byte-order mark is common in files saved by Windows editors.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const value = parseValue('');
  skipSpace();
  if (i < text.length) fail(`unexpected ${describe(i)} after the JSON value`);
  return { text, value, offsets };
}

/** Position of the value at `pointer`, or of its nearest enclosing value that was recorded. */
export function positionAt(source: JsonSource, pointer: string): SourcePosition {
  let p = pointer;
  for (;;) {
    const offset = source.offsets.get(p);
    if (offset !== undefined) return { offset, ...positionOf(source.text, offset) };
    if (p === '') return { offset: 0, line: 1, column: 1 };
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

/**
 * Offset in the file of character `index` of the decoded string value that starts at
 * `valueOffset` (its opening quote): accounts for escapes before it, so a string formula's
 * column maps onto the file exactly.
 */
export function stringCharOffset(text: string, valueOffset: number, index: number): number {
  let raw = valueOffset + 1;
  for (let decoded = 0; decoded < index && raw < text.length; decoded++) {
    if (text[raw] === '"') break;
    raw += text[raw] === '\\' ? (text[raw + 1] === 'u' ? 6 : 2) : 1;
  }
  return raw;
}
