/**
 * Change events shaped as the MongoDB manual documents them
 * (https://www.mongodb.com/docs/manual/reference/change-events/), typed by the driver.
 */
import { Binary, ObjectId, Timestamp, type ChangeStreamDocument } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { identifyByKeys } from '../../src/feed/identify.ts';
import { translateChange, updatedTopLevelFields } from '../../src/feed/translate-change.ts';

const keys: Record<string, string[]> = { Office: ['code'], Letter: ['office', 'num'] };
const options = {
  identify: identifyByKeys((className) => keys[className]),
  computed: new Map([
    ['Office', new Set(['letterCount', '_semantic'])],
    ['Letter', new Set(['officeName'])],
  ]),
};

const _id = new ObjectId('64b7f0c2a1b2c3d4e5f60718');
const common = {
  _id: { _data: '8264B7F0C2000000012B022C0100296E5A1004' },
  clusterTime: new Timestamp({ t: 1_689_776_322, i: 1 }),
  collectionUUID: new Binary(Buffer.alloc(16), 4),
  documentKey: { _id },
};
const ns = { db: 'ion', coll: 'office' };

describe('translateChange', () => {
  it('insert: every field changed, nothing before, identified by its keys', () => {
    const change: ChangeStreamDocument = {
      ...common,
      operationType: 'insert',
      ns,
      fullDocument: { _id, _class: 'Office', code: '101000', name: 'Moscow' },
    };
    expect(translateChange(change, options)).toEqual({
      kind: 'change', collection: 'office', className: 'Office', id: '101000', op: 'insert',
      changedFields: ['_class', 'code', 'name'], oldValues: {}, time: 1_689_776_322_000,
    });
  });

  it('update: top-level fields of updatedFields, removedFields and truncatedArrays; old values from the pre-image', () => {
    const change: ChangeStreamDocument = {
      ...common,
      operationType: 'update',
      ns: { db: 'ion', coll: 'letter' },
      wallTime: new Date('2026-01-02T03:04:05.678Z'),
      updateDescription: {
        updatedFields: { office: '102000', 'address.city': 'Tver' },
        removedFields: ['note'],
        truncatedArrays: [{ field: 'tags', newSize: 1 }],
      },
      fullDocument: { _id, _class: 'Letter', office: '102000', num: 7, address: { city: 'Tver' }, tags: ['a'] },
      fullDocumentBeforeChange: { _id, _class: 'Letter', office: '101000', num: 7, address: { city: 'Klin' }, note: 'x', tags: ['a', 'b'] },
    };
    expect(translateChange(change, options)).toEqual({
      kind: 'change', collection: 'letter', className: 'Letter', id: '102000_7', op: 'update',
      changedFields: ['office', 'address', 'note', 'tags'],
      oldValues: { office: '101000', address: { city: 'Klin' }, note: 'x', tags: ['a', 'b'] },
      time: Date.parse('2026-01-02T03:04:05.678Z'),
    });
  });

  it('update without a pre-image: old values unknown (null)', () => {
    const change: ChangeStreamDocument = {
      ...common, operationType: 'update', ns,
      updateDescription: { updatedFields: { name: 'Tver' }, removedFields: [] },
      fullDocument: { _id, _class: 'Office', code: '170000', name: 'Tver' },
      fullDocumentBeforeChange: null as never, // 'whenAvailable' with no pre-image: explicitly null
    };
    const event = translateChange(change, options);
    expect(event).toMatchObject({ kind: 'change', id: '170000', changedFields: ['name'], oldValues: null });
  });

  it('update of computed fields only (our own write) is dropped, per class', () => {
    const own: ChangeStreamDocument = {
      ...common, operationType: 'update', ns,
      updateDescription: { updatedFields: { letterCount: 4, _semantic: 'Moscow (4)' }, removedFields: [] },
      fullDocument: { _id, _class: 'Office', code: '101000' },
    };
    expect(translateChange(own, options)).toBeNull();
    // A field computed in another class is an application field here.
    const other: ChangeStreamDocument = { ...own, updateDescription: { updatedFields: { officeName: 'x' }, removedFields: [] } };
    expect(translateChange(other, options)).toMatchObject({ changedFields: ['officeName'] });
    // A mix of computed and application fields is an application change.
    const mixed: ChangeStreamDocument = { ...own, updateDescription: { updatedFields: { letterCount: 4, name: 'M' } } };
    expect(translateChange(mixed, options)).toMatchObject({ changedFields: ['letterCount', 'name'] });
  });

  it('update whose post-image is gone (deleted since) still names the class from the pre-image', () => {
    const change: ChangeStreamDocument = {
      ...common, operationType: 'update', ns,
      updateDescription: { updatedFields: { letterCount: 1 } },
      fullDocumentBeforeChange: { _id, _class: 'Office', code: '1' },
    };
    // Computed-only for Office: dropped even though the post-image is missing.
    expect(translateChange(change, options)).toBeNull();
  });

  it('replace with a pre-image: only differing fields; identical or computed-only replaces are dropped', () => {
    const before = { _id, _class: 'Office', code: '101000', name: 'Moscow', letterCount: 3 };
    const replace = (after: Record<string, unknown>): ChangeStreamDocument => ({
      ...common, operationType: 'replace', ns, fullDocument: { _id, ...after }, fullDocumentBeforeChange: before,
    });
    expect(translateChange(replace({ _class: 'Office', code: '101000', name: 'Moskva', letterCount: 3 }), options)).toMatchObject({
      op: 'replace', id: '101000', changedFields: ['name'], oldValues: { name: 'Moscow' },
    });
    expect(translateChange(replace({ _class: 'Office', code: '101000', name: 'Moscow', letterCount: 3 }), options)).toBeNull();
    expect(translateChange(replace({ _class: 'Office', code: '101000', name: 'Moscow', letterCount: 9 }), options)).toBeNull();
    // A removed field counts as changed.
    expect(translateChange(replace({ _class: 'Office', code: '101000', letterCount: 3 }), options)).toMatchObject({ changedFields: ['name'] });
  });

  it('replace without a pre-image: every field', () => {
    const change: ChangeStreamDocument = {
      ...common, operationType: 'replace', ns, fullDocument: { _id, _class: 'Office', code: '2', name: 'N' },
    };
    expect(translateChange(change, options)).toMatchObject({ changedFields: ['_class', 'code', 'name'], oldValues: null });
  });

  it('delete with a pre-image: the old document; without one: an unidentified object', () => {
    const withImage: ChangeStreamDocument = {
      ...common, operationType: 'delete', ns, fullDocumentBeforeChange: { _id, _class: 'Office', code: '3', name: 'Old' },
    };
    expect(translateChange(withImage, options)).toEqual({
      kind: 'change', collection: 'office', className: 'Office', id: '3', op: 'delete',
      changedFields: ['_class', 'code', 'name'], oldValues: { _class: 'Office', code: '3', name: 'Old' }, time: 1_689_776_322_000,
    });
    const bare: ChangeStreamDocument = { ...common, operationType: 'delete', ns };
    expect(translateChange(bare, options)).toMatchObject({ className: null, id: null, changedFields: [], oldValues: null });
  });

  it('drop and rename report the collection; invalidate reports the stream; index events are ignored', () => {
    expect(translateChange({ ...common, operationType: 'drop', ns }, options)).toEqual({ kind: 'drop', collection: 'office', time: 1_689_776_322_000 });
    expect(translateChange({ ...common, operationType: 'rename', ns, to: { db: 'ion', coll: 'office2' } }, options)).toMatchObject({ kind: 'drop', collection: 'office' });
    // $out / renameCollection(dropTarget) onto a watched collection: the rename's ns is the temporary
    // or source collection, and it is the only event the target gets.
    const watched = { ...options, watched: new Set(['office', 'letter']) };
    const out: ChangeStreamDocument = { ...common, operationType: 'rename', ns: { db: 'ion', coll: 'tmp.agg_out.1234' }, to: { db: 'ion', coll: 'office' } };
    expect(translateChange(out, watched)).toEqual({ kind: 'drop', collection: 'office', time: 1_689_776_322_000 });
    expect(translateChange({ ...out, ns: { db: 'ion', coll: 'letter' } }, watched)).toMatchObject({ kind: 'drop', collection: 'letter' });
    expect(translateChange({ _id: common._id, clusterTime: common.clusterTime, operationType: 'invalidate' }, options)).toEqual({ kind: 'invalidate', time: 1_689_776_322_000 });
    expect(translateChange({ ...common, operationType: 'dropDatabase', ns: { db: 'ion' } }, options)).toBeNull();
    expect(translateChange({ ...common, operationType: 'createIndexes', operationDescription: {} }, options)).toBeNull();
  });

  it('a document of an unknown class or without its key is unidentified', () => {
    const change: ChangeStreamDocument = { ...common, operationType: 'insert', ns, fullDocument: { _id, _class: 'Ghost', code: '1' } };
    expect(translateChange(change, options)).toMatchObject({ className: 'Ghost', id: null });
    const noKey: ChangeStreamDocument = { ...common, operationType: 'insert', ns, fullDocument: { _id, _class: 'Letter', office: '1' } };
    expect(translateChange(noKey, options)).toMatchObject({ className: 'Letter', id: null });
  });
});

describe('updatedTopLevelFields', () => {
  it('reduces dotted and array-index paths to their top-level field, once', () => {
    expect(updatedTopLevelFields({ updatedFields: { 'a.0': 1, 'a.1': 2, b: 1 }, removedFields: ['c.d'] })).toEqual(['a', 'b', 'c']);
    expect(updatedTopLevelFields(undefined)).toEqual([]);
  });

  it('takes the top-level field from disambiguatedPaths when the server sends them (a field name holding a dot)', () => {
    expect(updatedTopLevelFields({
      updatedFields: { 'price.eur': 3, 'a.0': 1 },
      removedFields: ['old.name'],
      truncatedArrays: [{ field: 'list.x', newSize: 0 }],
      disambiguatedPaths: { 'price.eur': ['price.eur'], 'a.0': ['a', '0'], 'old.name': ['old.name'], 'list.x': ['list.x'] },
    })).toEqual(['price.eur', 'a', 'old.name', 'list.x']);
  });
});
