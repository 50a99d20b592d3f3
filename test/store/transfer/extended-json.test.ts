import { Long } from 'bson';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDocuments, parseDocuments } from '../../../src/store/transfer/extended-json.ts';
import { sharedPath } from '../../shared-dir.ts';

describe('Extended JSON files', () => {
  it('reads an array, one document per line, and one pretty-printed document', () => {
    expect(parseDocuments('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseDocuments('{"a":1}\n\n{"a":{"$numberLong":"2"}}\n')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseDocuments('{\n  "a": {"$date": "2020-01-01T00:00:00Z"}\n}\n')).toEqual([{ a: new Date('2020-01-01T00:00:00Z') }]);
    expect(parseDocuments('  ')).toEqual([]);
  });

  it('keeps 64-bit integers that a double would round', () => {
    const [doc] = parseDocuments('{"n":{"$numberLong":"9007199254740993"},"m":{"$numberInt":"7"},"d":{"$numberDouble":"1.5"}}');
    expect(doc).toEqual({ n: Long.fromString('9007199254740993'), m: 7, d: 1.5 });
    expect(formatDocuments([doc!])).toBe('{"n":{"$numberLong":"9007199254740993"},"m":7,"d":1.5}\n');
  });

  it('writes relaxed lines by default, or an array, or canonical values', () => {
    const docs = [{ id: 1, at: new Date('2020-01-01T00:00:00Z') }, { id: 2 }];
    expect(formatDocuments(docs)).toBe('{"id":1,"at":{"$date":"2020-01-01T00:00:00Z"}}\n{"id":2}\n');
    expect(formatDocuments(docs, { format: 'array' })).toBe('[{"id":1,"at":{"$date":"2020-01-01T00:00:00Z"}},\n{"id":2}]\n');
    expect(formatDocuments([{ id: 1 }], { canonical: true })).toBe('{"id":{"$numberInt":"1"}}\n');
    expect(formatDocuments([])).toBe('');
  });

  it('names the file and line of a bad document', () => {
    expect(() => parseDocuments('{"a":1}\n{"a":', 'x.json')).toThrow(/x\.json:2/);
    expect(() => parseDocuments('[1]', 'y.json')).toThrow(/y\.json\[0\]: expected a document/);
  });

  it('reads a conformance world as stored documents with real dates', () => {
    const docs = parseDocuments(readFileSync(sharedPath('conformance/worlds/A/data.json'), 'utf8'));
    expect(docs.length).toBeGreaterThan(5);
    expect(docs[0]).toMatchObject({ _class: 'sample@wa', id: 'x1', dateStart: new Date('2023-07-10T06:00:00.000Z') });
  });
});
