import { describe, expect, it } from 'vitest';
import { loadMetaDir, loadMetaTexts } from '../../src/meta/load.ts';
import { classFilter, keyValues, objectId } from '../../src/meta/storage.ts';
import { sharedPath } from '../shared-dir.ts';

describe('storage layout helpers (§2.5)', () => {
  const meta = loadMetaTexts({
    'cell.class.json': JSON.stringify({ name: 'cell', namespace: 'g', key: ['row', 'col'], properties: [{ name: 'row', type: 6 }, { name: 'col', type: 0 }] }),
    'item.class.json': JSON.stringify({ name: 'item', namespace: 'g', key: ['id'], properties: [{ name: 'id', type: 6 }] }),
  });

  it('an id is the key values joined by _, always a string', () => {
    expect(objectId(meta.repository.get('item@g'), { id: 4 })).toBe('4');
    expect(objectId(meta.repository.get('cell@g'), { row: 3, col: 'b' })).toBe('3_b');
    expect(objectId(meta.repository.get('cell@g'), { row: 3 })).toBeUndefined();
  });

  it('parsing an id back casts each part to the key attribute type', () => {
    expect(keyValues(meta.repository.get('cell@g'), '3_b')).toEqual({ row: 3, col: 'b' });
    expect(keyValues(meta.repository.get('item@g'), '12')).toEqual({ id: 12 });
  });

  it('a class query matches its descendants by _class in the root collection', () => {
    const { repository } = loadMetaDir(sharedPath('conformance/worlds/C/meta'));
    const invoice = repository.get('invoice@wc');
    expect(invoice.storage.collection).toBe('wc_doc');
    expect(classFilter(invoice)).toEqual({ _class: { $in: ['invoice@wc', 'creditNote@wc'] } });
    expect(classFilter(invoice, true)).toEqual({ _class: 'invoice@wc' });
    expect(classFilter(repository.get('line@wc'))).toEqual({ _class: 'line@wc' });
  });
});
