import { describe, expect, it } from 'vitest';
import {
  aggregatePipeline, arrayMemberQuery, checkpointUpsert, classQuery, fieldQuery, filterQuery, indexDescriptions,
  matchQuery, missingIndexDescriptions, scanQuery, updateDocument, updateOperations,
} from '../../../src/store/mongo/commands.ts';

const at = new Date('2024-01-01T00:00:00Z');

describe('MongoDB query documents', () => {
  it('filters by discriminator with $in, or not at all', () => {
    expect(classQuery(['a@x', 'b@x'])).toEqual({ _class: { $in: ['a@x', 'b@x'] } });
    expect(classQuery(null)).toEqual({});
    expect(classQuery([])).toEqual({ _class: { $in: [] } });
  });

  it('scans a class, or what follows an _id after an interruption', () => {
    expect(scanQuery(['a@x'])).toEqual({ _class: { $in: ['a@x'] } });
    expect(scanQuery(null, 'k9')).toEqual({ _id: { $gt: 'k9' } });
    expect(scanQuery(['a@x'], 4)).toEqual({ _class: { $in: ['a@x'] }, _id: { $gt: 4 } });
  });

  it('looks fields up with $in, excluding arrays', () => {
    expect(fieldQuery(['a@x'], 'id', ['1', 2, null])).toEqual({
      _class: { $in: ['a@x'] }, id: { $in: ['1', 2, null], $not: { $type: 'array' } },
    });
    expect(fieldQuery(null, 'at', [at])).toEqual({ at: { $in: [at], $not: { $type: 'array' } } });
  });

  it('looks array members up with $in on arrays only, ignoring nulls', () => {
    expect(arrayMemberQuery(null, 'districts', ['d1', null])).toEqual({ districts: { $in: ['d1'], $type: 'array' } });
  });

  it('translates class-form filters operator by operator, equality through $eq', () => {
    expect(filterQuery(['e@p'], {
      kind: 'b', doc: { $gt: 1 }, a: ['gt', at], b: ['gte', 1], c: ['lt', 2], d: ['lte', 3], e: ['ne', null],
      f: ['in', [1, 2]], g: ['nin', ['x']], h: ['eq', 5], list: ['x', 'y'],
    })).toEqual({
      _class: { $in: ['e@p'] },
      kind: { $eq: 'b' }, doc: { $eq: { $gt: 1 } }, a: { $gt: at }, b: { $gte: 1 }, c: { $lt: 2 }, d: { $lte: 3 },
      e: { $ne: null }, f: { $in: [1, 2] }, g: { $nin: ['x'] }, h: { $eq: 5 }, list: { $eq: ['x', 'y'] },
    });
  });

  it('keeps both conditions when the filter itself names _class', () => {
    expect(filterQuery(['a@x'], { _class: 'a@x' })).toEqual({ $and: [{ _class: { $in: ['a@x'] } }, { _class: { $eq: 'a@x' } }] });
  });

  it('rejects in/nin without an array, unsafe field names and unknown functions', () => {
    expect(() => filterQuery(null, { f: ['in', 1] })).toThrow(/needs an array/);
    expect(() => fieldQuery(null, 'a.b', [1])).toThrow(/invalid field/);
    expect(() => fieldQuery(null, '$where', [1])).toThrow(/invalid field/);
    expect(() => aggregatePipeline(null, {}, 'median' as never, 'x')).toThrow(/unknown aggregation/);
  });
});

describe('MongoDB aggregation pipelines', () => {
  const group = (value: unknown) => ({ $group: { _id: null, value, matched: { $sum: 1 } } });
  const match = { $match: { _class: { $in: ['o@w'] }, kind: { $eq: 'b' } } };

  it('uses one $group accumulator per function', () => {
    expect(aggregatePipeline(['o@w'], { kind: 'b' }, 'count', 'staff')).toEqual([match, group({ $sum: 1 })]);
    expect(aggregatePipeline(['o@w'], { kind: 'b' }, 'sum', 'staff')).toEqual([match, group({ $sum: '$staff' })]);
    expect(aggregatePipeline(['o@w'], { kind: 'b' }, 'avg', 'staff')).toEqual([match, group({ $avg: '$staff' })]);
    expect(aggregatePipeline(['o@w'], { kind: 'b' }, 'max', 'staff')).toEqual([match, group({ $max: '$staff' })]);
    expect(aggregatePipeline(['o@w'], { kind: 'b' }, 'min', 'staff')).toEqual([match, group({ $min: '$staff' })]);
  });

  it('merges in storage order without nulls', () => {
    expect(aggregatePipeline(null, {}, 'merge', 'name')).toEqual([
      { $match: {} },
      { $sort: { _id: 1 } },
      group({ $push: '$name' }),
      { $project: { _id: 0, matched: 1, value: { $filter: { input: '$value', cond: { $ne: ['$$this', null] } } } } },
    ]);
  });
});

describe('MongoDB update and index documents', () => {
  it('sets and unsets only what is named, and skips empty updates', () => {
    expect(updateDocument({ total: 5, gone: undefined }, ['old'])).toEqual({ $set: { total: 5 }, $unset: { old: '' } });
    expect(updateDocument({ at }, [])).toEqual({ $set: { at } });
    expect(updateDocument({}, ['x'])).toEqual({ $unset: { x: '' } });
    expect(updateDocument({}, [])).toBeNull();
  });

  it('builds one updateOne per document with something to write', () => {
    expect(updateOperations([
      { match: { id: 'o1' }, set: { total: 1 } },
      { match: { id: 'o2' } },
      { id: 'k1_2', match: { a: 1, b: '2' }, unset: ['t'] },
    ])).toEqual([
      { updateOne: { filter: { id: { $eq: 'o1' } }, update: { $set: { total: 1 } } } },
      { updateOne: { filter: { a: { $eq: 1 }, b: { $eq: '2' } }, update: { $unset: { t: '' } } } },
    ]);
    expect(matchQuery({ id: 5 })).toEqual({ id: { $eq: 5 } });
  });

  it('describes lookup indexes and checkpoint upserts', () => {
    expect(indexDescriptions(['owner', 'districts'])).toEqual([
      { key: { owner: 1 }, name: 'recalc_owner' },
      { key: { districts: 1 }, name: 'recalc_districts' },
    ]);
    expect(checkpointUpsert('feed', '7')).toEqual({ filter: { _id: 'feed' }, update: { $set: { value: '7' } } });
  });

  it('leaves out fields an existing index covers: ION creates {ref: 1} as ref_1, and the same key under another name is refused (code 85)', () => {
    const ion = [
      { key: { _id: 1 }, name: '_id_' },
      { key: { code: 1 }, name: 'code_1', unique: true },
      { key: { owner: 1 }, name: 'owner_1' },
      { key: { parent: 1 }, name: 'parent_1', unique: true, sparse: true },
      { key: { region: 1, kind: 1 }, name: 'region_1_kind_1' },
      { key: { city: 1, kind: 1 }, name: 'city_1_kind_1', sparse: true },
      { key: { title: 'text' }, name: 'title_text' },
    ];
    expect(missingIndexDescriptions(ion, ['code', 'owner', 'parent', 'region', 'city', 'title', 'districts'])).toEqual([
      { key: { city: 1 }, name: 'recalc_city' },
      { key: { title: 1 }, name: 'recalc_title' },
      { key: { districts: 1 }, name: 'recalc_districts' },
    ]);
    expect(missingIndexDescriptions([], ['owner'])).toEqual([{ key: { owner: 1 }, name: 'recalc_owner' }]);
    expect(() => missingIndexDescriptions([], ['$bad'])).toThrow(/invalid field/);
  });
});
