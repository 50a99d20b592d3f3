import { expect, it } from 'vitest';
import { countingStore } from '../../src/store/counting-store.ts';
import { openEmbeddedStore } from '../../src/store/embedded/embedded-store.ts';

it('counts calls per method without changing answers', async () => {
  const inner = openEmbeddedStore();
  const { store, counts, reads, reset } = countingStore(inner);
  await store.load('wb_hub', [{ _class: 'hub@wb', id: 'h1' }, { _class: 'hub@wb', id: 'h2' }]);
  expect(await store.findByField('wb_hub', null, 'id', ['h1', 'h2'])).toHaveLength(2);
  await store.findByField('wb_hub', null, 'id', ['h1']);
  await store.aggregate('wb_hub', null, {}, 'count', 'id');
  expect(counts).toEqual({ load: 1, findByField: 2, aggregate: 1 });
  expect(reads()).toBe(3);
  reset();
  expect(reads()).toBe(0);
  await store.close();
  expect(counts).toEqual({});
});
