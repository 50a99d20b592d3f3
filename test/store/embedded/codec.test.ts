import { Decimal128, Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import { decodeDocument, encodeDocument } from '../../../src/store/embedded/codec.ts';

describe('embedded document codec', () => {
  it('writes dates as {"$date": ISO} so json_extract sees a stable text', () => {
    expect(encodeDocument({ at: new Date('2020-01-01T00:00:00Z'), n: 1 })).toBe('{"at":{"$date":"2020-01-01T00:00:00.000Z"},"n":1}');
  });

  it('round-trips dates, invalid dates, non-finite numbers and BSON values, nested', () => {
    const doc = {
      at: new Date('1900-05-06T07:08:09.010Z'), bad: new Date(Number.NaN), inf: -Infinity, nan: Number.NaN,
      oid: new ObjectId('5f1d7f8e9a1b2c3d4e5f6a7b'), long: Long.fromString('9007199254740993'), dec: Decimal128.fromString('1.50'),
      list: [new Date(0), { deep: [new Date(1)] }], text: '{"$date":"not a date"}', nothing: null,
    };
    const back = decodeDocument(encodeDocument(doc));
    expect(back).toEqual(doc);
    expect(Number.isNaN((back.bad as Date).getTime())).toBe(true);
  });

  it('drops undefined fields as MongoDB does', () => {
    expect(decodeDocument(encodeDocument({ a: undefined, b: 1 }))).toEqual({ b: 1 });
  });
});
