import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonSyntaxError, parseJsonSource, positionAt, stringCharOffset } from '../../src/meta/json-source.ts';

describe('JSON reader with positions', () => {
  it('parses like JSON.parse', () => {
    const text = '{"a": [1, -2.5e3, true, null, "x\\u0041\\n"], "b": {}}';
    expect(parseJsonSource(text).value).toEqual(JSON.parse(text));
  });

  it('records where each value starts, by JSON pointer', () => {
    const source = parseJsonSource('{\n  "a": [\n    10,\n    {"b~/c": "x"}\n  ]\n}');
    expect(positionAt(source, '/a/0')).toMatchObject({ line: 3, column: 5 });
    expect(positionAt(source, '/a/1/b~0~1c')).toMatchObject({ line: 4, column: 14 });
    // an unknown pointer falls back to its nearest recorded parent
    expect(positionAt(source, '/a/1/zzz')).toMatchObject({ line: 4, column: 5 });
  });

  it.each([
    ['{"a": 1,}', 1, 9],
    ['{"a": 1\n "b": 2}', 2, 2],
    ['[1, 2', 1, 6],
    ['{"a": "unterminated}', 1, 7],
    ['{"a": tru}', 1, 7],
    ['{} x', 1, 4],
  ])('reports %j at line %i, column %i', (text, line, column) => {
    try {
      parseJsonSource(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(JsonSyntaxError);
      expect((error as JsonSyntaxError).position).toMatchObject({ line, column });
    }
  });

  it('skips a byte-order mark', () => {
    expect(parseJsonSource('\ufeff{"a": 1}').value).toEqual({ a: 1 });
  });

  it('maps a decoded string index to the file offset, escapes included', () => {
    const text = '{"f": "a\\tb\\u0041c"}';
    const at = text.indexOf('"a');
    expect(text[stringCharOffset(text, at, 0)]).toBe('a');
    expect(text[stringCharOffset(text, at, 2)]).toBe('b');
    expect(text[stringCharOffset(text, at, 4)]).toBe('c');
  });

  it('agrees with JSON.parse on arbitrary JSON, and records an offset for every value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        const source = parseJsonSource(text);
        expect(source.value).toEqual(JSON.parse(text));
        // every recorded offset starts a value that parses alone to the value at that pointer
        for (const [pointer, offset] of source.offsets) {
          const at = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
          const expected = at.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], JSON.parse(text));
          expect(JSON.stringify(expected)[0]).toBe(text[offset]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

