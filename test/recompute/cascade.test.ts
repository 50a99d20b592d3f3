/**
 * Cascades on world C after application changes through the journal: what changes, which old
 * targets are recomputed, and that the result equals a rebuild. Expected values are worked out
 * from `worlds/C/data.json` (lines: sl1 si1 4×45.5, sl2 si1 1×120.125, sl3 si2 12×8.4,
 * sl4 scn1 1×45.5; sp1 owns si1, scn1, sak1; sp2 owns sg1, si2).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { keyValues } from '../../src/meta/index.ts';
import { applyChanges, findDependants, readersOf, rebuildAll, recomputeObjects } from '../../src/recompute/index.ts';
import type { RecomputeContext, RecomputeResult } from '../../src/recompute/types.ts';
import type { StoredDocument } from '../../src/store/index.ts';
import { stressMeta } from './fixtures/stress-meta.ts';
import { contextWith, docOf, metaFromClasses, worldContext } from './helpers.ts';

let ctx: RecomputeContext;

beforeEach(async () => {
  ctx = await worldContext('C');
  await rebuildAll(ctx);
});

async function change(op: 'update' | 'delete', className: string, id: string, set?: StoredDocument): Promise<RecomputeResult> {
  const cls = ctx.meta.repository.get(className);
  const since = await ctx.store.headSequence();
  const target = { id, match: keyValues(cls, id) };
  if (op === 'update') await ctx.store.update(cls.storage.collection, [{ ...target, set: set! }]);
  else await ctx.store.delete(cls.storage.collection, [target]);
  return applyChanges(ctx, await ctx.store.readChanges(since, 1000));
}

const changed = (r: RecomputeResult) => r.changedFields.map((c) => `${c.class}/${c.id}.${c.attribute}`).sort();

describe('cascades from application changes (world C)', () => {
  it('a line quantity reaches its invoice and the invoice owner, nothing else', async () => {
    const r = await change('update', 'line@wc', 'sl1', { qty: 2 });
    expect(changed(r)).toEqual([
      'invoice@wc/si1.maxLine', 'invoice@wc/si1.summary', 'invoice@wc/si1.total', 'line@wc/sl1.sum', 'person@wc/sp1.invoiceTotal',
    ]);
    expect((await docOf(ctx, 'line@wc', 'sl1'))!.sum).toBe(91);
    expect((await docOf(ctx, 'invoice@wc', 'si1'))!.total).toBe(0 + 91 + 120.13);
    expect((await docOf(ctx, 'invoice@wc', 'si1'))!.maxLine).toBe(120.13);
    expect((await docOf(ctx, 'person@wc', 'sp1'))!.invoiceTotal).toBe(0 + (0 + 91 + 120.13) + -(0 + 45.5));
    expect(r.errors).toEqual([]);
  });

  it('a re-pointed reference recomputes the old target too', async () => {
    const r = await change('update', 'line@wc', 'sl3', { invoice: 'si1' });
    const si2 = await docOf(ctx, 'invoice@wc', 'si2');
    expect(si2!.total).toBe(0);
    expect(si2!.summary).toBe('0 lines, total 0, vat base 96');
    expect(si2!.maxLine).toBeNull();
    expect((await docOf(ctx, 'person@wc', 'sp2'))!.invoiceTotal).toBe(0);
    expect((await docOf(ctx, 'line@wc', 'sl3'))!.ownerName).toBe('Вера Лис');
    expect(changed(r)).toContain('invoice@wc/si1.total');
  });

  it('a deleted object is dropped from the aggregates that counted it', async () => {
    await change('delete', 'invoice@wc', 'si1');
    expect((await docOf(ctx, 'person@wc', 'sp1'))!.docCount).toBe(2);
    expect((await docOf(ctx, 'person@wc', 'sp1'))!.invoiceTotal).toBe(-45.5);
    const sl1 = await docOf(ctx, 'line@wc', 'sl1');
    expect([sl1!.invoiceNumber, sl1!.ownerName]).toEqual(['', '']);
  });

  it('a change read through a display value reaches the cached semantic, and through two hops', async () => {
    const r = await change('update', 'person@wc', 'sp1', { name: 'Вера Ли' });
    expect((await docOf(ctx, 'act@wc', 'sak1'))!.__semantic).toBe('A-100 Delivery Вера Ли');
    expect(changed(r)).toEqual([
      'act@wc/sak1.__semantic', 'line@wc/sl1.ownerName', 'line@wc/sl2.ownerName', 'line@wc/sl4.ownerName',
    ]);
  });

  it('stops where nothing changed', async () => {
    // 4 × 45.5 = 182 = 2 × 91: the line and (its declared cacheDependencies) the invoice are
    // recomputed, nothing changes, so the owner is not.
    const r = await change('update', 'line@wc', 'sl1', { qty: 2, price: 91 });
    expect(r.changedFields).toEqual([]);
    expect(r.objects).toBe(2);
    expect(r.cascade).toEqual([{ class: 'invoice@wc', id: 'si1' }]);
  });

  it('ends where the declared cacheDependencies lead, even without a field change', async () => {
    const line = ctx.meta.repository.get('line@wc');
    const doc = (await docOf(ctx, 'line@wc', 'sl1'))!;
    const found = await findDependants(ctx, [{ cls: line, id: 'sl1', doc, old: {}, fields: [], op: 'update' }]);
    expect(found.map((d) => d.ref)).toEqual([{ class: 'line@wc', id: 'sl1' }, { class: 'invoice@wc', id: 'si1' }]);
    expect(found[1]!.why).toContain('cacheDependencies "invoice"');
  });

  it('processes in dependency order: every object once for a line change', async () => {
    const r = await change('update', 'line@wc', 'sl4', { price: 50 });
    // sl4 → scn1 → sp1, each once.
    expect(r.objects).toBe(3);
    expect(r.cascade).toEqual([{ class: 'creditNote@wc', id: 'scn1' }, { class: 'person@wc', id: 'sp1' }]);
  });
});

describe('without old values and for a queueing worker', () => {
  it('a re-pointed reference without its old value still reaches the old target (by scanning)', async () => {
    const line = ctx.meta.repository.get('line@wc');
    const since = await ctx.store.headSequence();
    await ctx.store.update(line.storage.collection, [{ id: 'sl3', match: keyValues(line, 'sl3'), set: { invoice: 'si1' } }]);
    const records = (await ctx.store.readChanges(since, 10)).map((r) => ({ ...r, oldValues: {} }));
    await applyChanges(ctx, records, { oldValuesKnown: false });
    expect((await docOf(ctx, 'invoice@wc', 'si2'))!.total).toBe(0);
  });

  it("cascade: 'return' finds the objects to recompute and leaves them to the caller", async () => {
    const line = ctx.meta.repository.get('line@wc');
    const since = await ctx.store.headSequence();
    await ctx.store.update(line.storage.collection, [{ id: 'sl1', match: keyValues(line, 'sl1'), set: { qty: 2 } }]);
    const first = await applyChanges(ctx, await ctx.store.readChanges(since, 10), { cascade: 'return' });
    expect(first.objects).toBe(0);
    expect(first.cascade).toEqual([{ class: 'line@wc', id: 'sl1' }, { class: 'invoice@wc', id: 'si1' }]);
    const next = await recomputeObjects(ctx, first.cascade, { cascade: 'return' });
    // sl1.sum changed: its invoice reads it, so it is returned again (the worker dedupes waiting jobs).
    expect(next.changedFields.map((c) => `${c.id}.${c.attribute}`)).toContain('sl1.sum');
    expect(next.cascade).toContainEqual({ class: 'invoice@wc', id: 'si1' });
  });

  it('names the classes that read a class', async () => {
    // creditNote overrides total = mul(sum($lines, sum), -1): it reads lines too.
    expect(readersOf(ctx.meta, 'line@wc')).toEqual(['creditNote@wc', 'invoice@wc', 'line@wc']);
  });
});

describe('objects coming and going behind a stored link', () => {
  const meta = metaFromClasses([
    { name: 'box', properties: [{ name: 'id', type: 0 }, { name: 'items', type: 14, itemsClass: 'item' }, { name: 'main', type: 13, refClass: 'item' }, { name: 'n', type: 6, formula: { count: ['$items'] }, cached: true }, { name: 'hasMain', type: 10, formula: { nempty: ['$main'] }, cached: true }] },
    { name: 'item', properties: [{ name: 'id', type: 0 }] },
  ]);

  it('count($items) and nempty($main) follow deletes and inserts of the items (found by the invariant test)', async () => {
    const c = await contextWith(meta, [
      { _class: 'box@t', _classVer: '', id: 'b', items: ['i1', 'i2'], main: 'i2' },
      { _class: 'item@t', _classVer: '', id: 'i1' },
    ]);
    await rebuildAll(c);
    expect((await docOf(c, 'box@t', 'b'))).toMatchObject({ n: 1, hasMain: false });
    const item = meta.repository.get('item@t');
    let since = await c.store.headSequence();
    await c.store.insert(item.storage.collection, [{ id: 'i2', doc: { _class: 'item@t', _classVer: '', id: 'i2' } }]);
    await applyChanges(c, await c.store.readChanges(since, 10));
    expect((await docOf(c, 'box@t', 'b'))).toMatchObject({ n: 2, hasMain: true });
    since = await c.store.headSequence();
    await c.store.delete(item.storage.collection, [{ id: 'i1', match: { id: 'i1' } }]);
    await applyChanges(c, await c.store.readChanges(since, 10));
    expect((await docOf(c, 'box@t', 'b'))!.n).toBe(1);
  });
});

describe('class-form reads tied to the owner', () => {
  it('an object leaving the null group updates the owners whose filter value is null (found by the invariant test)', async () => {
    const meta = stressMeta();
    const item = (id: string, cat?: string) => ({ _class: 'item@t', _classVer: '', id, ...(cat ? { cat } : {}) });
    const c = await contextWith(meta, [item('i1'), item('i2'), item('i3', 'dangling'), { _class: 'cat@t', _classVer: '', id: 'c1' }]);
    await rebuildAll(c);
    // i1, i2 have no cat; i3's cat dangles, so its filter is {cat: null} too: three owners count the two null-cat items.
    expect((await docOf(c, 'item@t', 'i3'))!.sameCat).toBe(2);
    const cls = meta.repository.get('item@t');
    const since = await c.store.headSequence();
    await c.store.update(cls.storage.collection, [{ id: 'i1', match: { id: 'i1' }, set: { cat: 'c1' } }]);
    await applyChanges(c, await c.store.readChanges(since, 10));
    expect((await docOf(c, 'item@t', 'i2'))!.sameCat).toBe(1);
    expect((await docOf(c, 'item@t', 'i3'))!.sameCat).toBe(1);
    expect((await docOf(c, 'item@t', 'i1'))!.sameCat).toBe(1);
  });
});

describe('display values that recurse through the data', () => {
  it('a name change deep in a chain of "name (parent)" semantics reaches the value displaying the chain (found by the invariant test)', async () => {
    const meta = stressMeta();
    const cat = (id: string, name: string, parent?: string) => ({ _class: 'cat@t', _classVer: '', id, name, ...(parent ? { parent } : {}) });
    const c = await contextWith(meta, [cat('c1', 'leaf', 'c2'), cat('c2', 'mid', 'c3'), cat('c3', 'root'), { _class: 'item@t', _classVer: '', id: 'i1', title: 'T', cat: 'c1' }]);
    await rebuildAll(c);
    expect((await docOf(c, 'item@t', 'i1'))!.label).toBe('T @leaf (mid (root ())) by ');
    const cls = meta.repository.get('cat@t');
    const since = await c.store.headSequence();
    await c.store.update(cls.storage.collection, [{ id: 'c3', match: { id: 'c3' }, set: { name: 'top' } }]);
    await applyChanges(c, await c.store.readChanges(since, 10));
    expect((await docOf(c, 'item@t', 'i1'))!.label).toBe('T @leaf (mid (top ())) by ');
  });
});

describe('non-cached values that recurse through the data', () => {
  it('a name change at the root of a tree reaches cached copies of path = concat($parent.path, "/", $name) below', async () => {
    const meta = stressMeta();
    const cat = (id: string, name: string, parent?: string) => ({ _class: 'cat@t', _classVer: '', id, name, ...(parent ? { parent } : {}) });
    const c = await contextWith(meta, [cat('c1', 'leaf', 'c2'), cat('c2', 'mid', 'c3'), cat('c3', 'root')]);
    await rebuildAll(c);
    expect((await docOf(c, 'cat@t', 'c1'))!.pathCopy).toBe('/root/mid/leaf');
    const cls = meta.repository.get('cat@t');
    const since = await c.store.headSequence();
    await c.store.update(cls.storage.collection, [{ id: 'c3', match: { id: 'c3' }, set: { name: 'top' } }]);
    const r = await applyChanges(c, await c.store.readChanges(since, 10));
    expect((await docOf(c, 'cat@t', 'c1'))!.pathCopy).toBe('/top/mid/leaf');
    expect(r.changedFields.filter((f) => f.attribute === 'pathCopy').map((f) => f.id).sort()).toEqual(['c1', 'c2', 'c3']);
  });

  it('around a cycle in the data the value depends only on where it is read, not on evaluation order', async () => {
    const meta = stressMeta();
    const cat = (id: string, name: string, parent?: string) => ({ _class: 'cat@t', _classVer: '', id, name, ...(parent ? { parent } : {}) });
    const c = await contextWith(meta, [cat('a', 'A', 'b'), cat('b', 'B', 'a')], { batchSize: 1 });
    await rebuildAll(c);
    // Read from a: concat(b.path, "/", "A"), where b.path = concat(a.path → re-entered: the stored
    // value, null → "", "/", "B") = "/B". Read from b, symmetrically.
    expect((await docOf(c, 'cat@t', 'a'))!.pathCopy).toBe('/B/A');
    expect((await docOf(c, 'cat@t', 'b'))!.pathCopy).toBe('/A/B');
  });
});

describe('composite keys', () => {
  it('references hold the joined id; back references match it; edits cascade both ways', async () => {
    const meta = stressMeta();
    const c = await contextWith(meta, [
      { _class: 'slot@t', _classVer: '', shelf: 'A', pos: 1, label: 'L' },
      { _class: 'item@t', _classVer: '', id: 'i1', title: 'T1', slot: 'A_1' },
    ]);
    await rebuildAll(c);
    expect((await docOf(c, 'item@t', 'i1'))!.slotLabel).toBe('L:A-1');
    const slots = await c.store.findByField('t_slot', null, 'shelf', ['A']);
    expect(slots[0]!.itemTitles).toBe('T1');
    const slot = meta.repository.get('slot@t');
    const since = await c.store.headSequence();
    await c.store.update(slot.storage.collection, [{ id: 'A_1', match: { shelf: 'A', pos: 1 }, set: { label: 'M' } }]);
    await applyChanges(c, await c.store.readChanges(since, 10));
    expect((await docOf(c, 'item@t', 'i1'))!.slotLabel).toBe('M:A-1');
  });
});

describe('declared cacheDependencies from the old state', () => {
  // Nothing a doc computes reads its notes: only the declared path leads from a note to its doc.
  const meta = metaFromClasses([
    { name: 'note', cacheDependencies: ['target'], properties: [{ name: 'id', type: 0 }, { name: 'target', type: 13, refClass: 'doc' }, { name: 'text', type: 0 }, { name: 'size', type: 6, formula: { strlen: ['$text'] }, cached: true }] },
    { name: 'doc', properties: [{ name: 'id', type: 0 }, { name: 'title', type: 0 }, { name: 'label', type: 0, formula: { concat: ['$title', '!'] }, cached: true }] },
  ]);

  async function edit(c: RecomputeContext, set: StoredDocument): Promise<RecomputeResult> {
    const since = await c.store.headSequence();
    await c.store.update('t_note', [{ id: 'n1', match: { id: 'n1' }, set }]);
    return applyChanges(c, await c.store.readChanges(since, 10), { cascade: 'return' });
  }

  it('a re-pointed link leads to the old target and the new one; other edits to the current one only', async () => {
    const c = await contextWith(meta, [
      { _class: 'note@t', _classVer: '', id: 'n1', target: 'd1', text: 'abc' },
      { _class: 'doc@t', _classVer: '', id: 'd1', title: 'One' },
      { _class: 'doc@t', _classVer: '', id: 'd2', title: 'Two' },
    ]);
    await rebuildAll(c);
    expect((await edit(c, { target: 'd2' })).cascade).toEqual([{ class: 'note@t', id: 'n1' }, { class: 'doc@t', id: 'd2' }, { class: 'doc@t', id: 'd1' }]);
    expect((await edit(c, { text: 'abcd' })).cascade).toEqual([{ class: 'note@t', id: 'n1' }, { class: 'doc@t', id: 'd2' }]);
  });
});
