/**
 * How much the engine reads per change, on the demo orders meta: journal records are read back
 * with one query per collection (not one per record), and a fan-out (one product → its lines →
 * their orders) reads each line as few times as the cascade needs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyChanges, createRecomputeContext, rebuildAll, type RecomputeResult } from '../../src/recompute/index.ts';
import { eventsOf } from '../../src/recompute/journal-events.ts';
import type { ChangeEvent } from '../../src/recompute/change-event.ts';
import { keyField, keyQueryValues } from '../../src/recompute/keys.ts';
import type { RecomputeContext, RecomputeWarning } from '../../src/recompute/types.ts';
import { openEmbeddedStore, type ChangeRecord, type StoredDocument, type StorePort } from '../../src/store/index.ts';
import { DEMO_META, metaOf } from './helpers.ts';

/** One read: method, collection, field, how many values were asked for and how many documents came back. */
interface Read {
  readonly method: string;
  readonly collection: string;
  readonly field: string;
  readonly values: number;
  readonly docs: number;
}

/** A store that records every lookup it answers. */
function recordingStore(store: StorePort): { store: StorePort; reads: Read[] } {
  const reads: Read[] = [];
  const proxy = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (name !== 'findByField' && name !== 'findByArrayMember') return (value as (...a: unknown[]) => unknown).bind(target);
      return async (collection: string, classes: unknown, field: string, values: readonly unknown[]) => {
        const docs = (await (value as (...a: unknown[]) => Promise<StoredDocument[]>).call(target, collection, classes, field, values));
        reads.push({ method: name, collection, field, values: values.length, docs: docs.length });
        return docs;
      };
    },
  });
  return { store: proxy, reads };
}

const meta = () => metaOf(join(DEMO_META, 'orders'));

/** Products P1..P3; `orders` orders of `linesPerOrder` lines, the lines of product P1 (every third of P2). */
function ordersData(orders: number, linesPerOrder: number): StoredDocument[] {
  const docs: StoredDocument[] = [];
  for (const [sku, price] of [['P1', 10], ['P2', 3.5], ['P3', 1]] as const) docs.push({ sku, name: `Product ${sku}`, price, _class: 'product@demo', _classVer: '' });
  for (let o = 1; o <= orders; o++) {
    const number = `O${String(o).padStart(4, '0')}`;
    docs.push({ number, customer: `Customer ${o % 7}`, status: 'new', _class: 'order@demo', _classVer: '' });
    for (let l = 1; l <= linesPerOrder; l++) {
      const n = (o - 1) * linesPerOrder + l;
      docs.push({ id: `${number}-${l}`, order: number, product: n % 3 === 0 ? 'P2' : 'P1', qty: 1 + (n % 5), _class: 'orderLine@demo', _classVer: '' });
    }
  }
  return docs;
}

/** A settled, journaled store of the demo orders meta, with a recording view. */
async function settled(orders: number, linesPerOrder: number, batchSize?: number): Promise<{ ctx: RecomputeContext; reads: Read[]; raw: StorePort }> {
  const raw = openEmbeddedStore();
  for (const doc of ordersData(orders, linesPerOrder)) await raw.load(meta().repository.get(doc._class as string).storage.collection, [doc]);
  await rebuildAll(createRecomputeContext(meta(), raw));
  const { store, reads } = recordingStore(raw);
  return { ctx: createRecomputeContext(meta(), store, batchSize ? { batchSize } : {}), reads, raw };
}

/** The events as they were built before reads were grouped: one query per record. */
async function eventsOneByOne(ctx: RecomputeContext, records: readonly ChangeRecord[]): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  for (const record of records) {
    if (record.computed) continue;
    const cls = record.className ? ctx.meta.repository.classes.get(record.className) : undefined;
    if (!cls) continue;
    let doc = null;
    if (record.op !== 'delete') {
      const docs = await ctx.store.findByField(cls.storage.collection, [cls.canonicalName], keyField(cls), keyQueryValues(cls, [record.id]));
      doc = docs[0] ?? null;
    }
    events.push({ cls, id: record.id, doc, old: record.oldValues, fields: record.changedFields, op: doc ? record.op : 'delete' });
  }
  return events;
}

const ids = (events: readonly ChangeEvent[]) => events.map((e) => `${e.op} ${e.cls.canonicalName}/${e.id}`);

describe('reading changed objects back', () => {
  it('reads N changed objects of one class with one query, not N', async () => {
    const { ctx, reads, raw } = await settled(30, 2);
    const since = await raw.headSequence();
    for (let o = 1; o <= 30; o++) {
      const number = `O${String(o).padStart(4, '0')}`;
      await raw.update('demo_order', [{ id: number, match: { number }, set: { status: 'done' } }]);
    }
    const records = await raw.readChanges(since, 1000);
    expect(records).toHaveLength(30);

    reads.length = 0;
    const events = await eventsOf(ctx, records, () => {});
    expect(reads).toEqual([{ method: 'findByField', collection: 'demo_order', field: 'number', values: 30, docs: 30 }]);
    expect(events).toEqual(await eventsOneByOne(ctx, records));

    // applyChanges as the worker calls it: nothing reads an order's status, so that one query is all.
    reads.length = 0;
    const result = await applyChanges(ctx, records, { cascade: 'return' });
    expect(reads).toHaveLength(1);
    expect(result.cascade.map((r) => r.id)).toEqual(records.map((r) => r.id));
  });

  it('gives each record what a query of its own would: order, deletes, vanished objects, old values', async () => {
    const { ctx, reads, raw } = await settled(6, 2);
    const since = await raw.headSequence();
    await raw.update('demo_orderLine', [{ id: 'O0001-1', match: { id: 'O0001-1' }, set: { qty: 9 } }]);
    await raw.insert('demo_orderLine', [{ id: 'X-1', doc: { id: 'X-1', order: 'O0002', product: 'P3', qty: 2, _class: 'orderLine@demo', _classVer: '' } }]);
    await raw.update('demo_order', [{ id: 'O0003', match: { number: 'O0003' }, set: { customer: 'Someone' } }]);
    await raw.update('demo_orderLine', [{ id: 'O0002-2', match: { id: 'O0002-2' }, set: { order: 'O0004' } }]);
    await raw.delete('demo_orderLine', [{ id: 'O0005-1', match: { id: 'O0005-1' } }]);
    // Updated, then deleted before the records are processed: the update reads as a delete.
    await raw.update('demo_order', [{ id: 'O0006', match: { number: 'O0006' }, set: { status: 'done' } }]);
    await raw.delete('demo_order', [{ id: 'O0006', match: { number: 'O0006' } }]);
    await raw.update('demo_orderLine', [{ id: 'O0001-1', match: { id: 'O0001-1' }, set: { qty: 4 } }]);
    await raw.update('demo_product', [{ id: 'P3', match: { sku: 'P3' }, set: { price: 2 } }]);
    const journal = await raw.readChanges(since, 1000);
    const records: ChangeRecord[] = [
      ...journal,
      { ...journal[0]!, seq: 1e9, computed: true },
      { ...journal[0]!, seq: 1e9 + 1, className: 'nowhere@demo' },
    ];

    reads.length = 0;
    const warnings: RecomputeWarning[] = [];
    const events = await eventsOf(ctx, records, (w) => warnings.push(w));
    // One query per collection holding a changed object that may still exist.
    expect(reads.map((r) => r.collection).sort()).toEqual(['demo_order', 'demo_orderLine', 'demo_product']);
    expect(events).toEqual(await eventsOneByOne(ctx, records));
    expect(ids(events)).toEqual([
      'update orderLine@demo/O0001-1', 'insert orderLine@demo/X-1', 'update order@demo/O0003', 'update orderLine@demo/O0002-2',
      'delete orderLine@demo/O0005-1', 'delete order@demo/O0006', 'delete order@demo/O0006', 'update orderLine@demo/O0001-1',
      'update product@demo/P3',
    ]);
    expect(events[3]!.old).toEqual({ order: 'O0002' });
    expect(events[0]!.doc!.qty).toBe(4); // both records of one object see its current document
    expect(warnings).toEqual([{ class: 'nowhere@demo', id: 'O0001-1', attribute: '', message: 'change of an object of a class not in the meta: ignored' }]);
    expect((await eventsOf(ctx, records, () => {}, false)).every((e) => e.oldValuesUnknown)).toBe(true);

    // And the whole cascade ends where a rebuild ends.
    await applyChanges(ctx, records);
    expect((await rebuildAll(createRecomputeContext(meta(), raw))).changedCount ?? 0).toBe(0);
  });
});

/** Documents read per collection. */
function docsRead(reads: readonly Read[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of reads) out[r.collection] = (out[r.collection] ?? 0) + r.docs;
  return out;
}

/** The price of P1 changed as an application does, then applied (cascade followed). */
async function priceChange(ctx: RecomputeContext, raw: StorePort, price: number): Promise<RecomputeResult> {
  const since = await raw.headSequence();
  await raw.update('demo_product', [{ id: 'P1', match: { sku: 'P1' }, set: { price } }]);
  return applyChanges(ctx, await raw.readChanges(since, 1000));
}

/** Lines of P1 and their orders hold the values of `price` (read back from the store). */
async function expectPrice(raw: StorePort, price: number): Promise<void> {
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const lines = await raw.findByField('demo_orderLine', null, 'product', ['P1', 'P2']);
  const priceOf = (sku: unknown) => (sku === 'P1' ? price : 3.5);
  for (const line of lines) expect(line.amount).toBe(round2((line.qty as number) * priceOf(line.product)));
  const totals = new Map<string, number>();
  for (const line of lines) totals.set(line.order as string, round2((totals.get(line.order as string) ?? 0) + (line.amount as number)));
  for (const order of await raw.findByField('demo_order', null, 'number', [...totals.keys()])) expect(order.total).toBe(totals.get(order.number as string));
}

describe('fan-out: one product price → its lines → their orders', () => {
  // 10 orders of 8 lines: 54 lines of P1 (every third line is P2's), in all 10 orders.
  it('runs the lookup the reverse step and the declared walk share once', async () => {
    const { ctx, reads, raw } = await settled(10, 8);
    reads.length = 0;
    const result = await priceChange(ctx, raw, 12);
    expect(result.changedFields.filter((c) => c.attribute === 'amount')).toHaveLength(54);
    // orderLine.product = 'P1': the inferred step (orderLine.amount reads $product.price) and
    // product's cacheDependencies ["lines"] (lines: backRef product) ask the same.
    expect(reads.filter((r) => r.collection === 'demo_orderLine' && r.field === 'product')).toEqual([
      { method: 'findByField', collection: 'demo_orderLine', field: 'product', values: 1, docs: 54 },
    ]);
    await expectPrice(raw, 12);
    expect((await rebuildAll(createRecomputeContext(meta(), raw))).changedCount ?? 0).toBe(0);
  });

  it('recomputes the lines and orders the cascade found without reading them again by id', async () => {
    const { ctx, reads, raw } = await settled(10, 8);
    reads.length = 0;
    const result = await priceChange(ctx, raw, 12);
    expect(result.objects).toBe(54 + 10);
    expect(reads).toEqual([
      { method: 'findByField', collection: 'demo_product', field: 'sku', values: 1, docs: 1 }, // the change read back
      { method: 'findByField', collection: 'demo_orderLine', field: 'product', values: 1, docs: 54 }, // P1's lines (reverse step and declared walk)
      { method: 'findByField', collection: 'demo_product', field: 'sku', values: 1, docs: 1 }, // the lines' product
      { method: 'findByField', collection: 'demo_order', field: 'number', values: 10, docs: 10 }, // the lines' orders (reverse step and declared walk)
      { method: 'findByField', collection: 'demo_orderLine', field: 'order', values: 10, docs: 80 }, // the orders' lines, after the lines were written
    ]);
    await expectPrice(raw, 12);
    expect((await rebuildAll(createRecomputeContext(meta(), raw))).changedCount ?? 0).toBe(0);
  });

  it('in several batches: the lines of one answer are carried; orders found by several queries are loaded', async () => {
    const { ctx, reads, raw } = await settled(10, 8, 20);
    for (const price of [12, 7.25, 12]) {
      reads.length = 0;
      const result = await priceChange(ctx, raw, price);
      expect(result.changedFields.filter((c) => c.attribute === 'amount')).toHaveLength(54);
      const read = docsRead(reads);
      // P1's 54 lines once (3 batches of them carried), then the orders' 80 lines once.
      expect(read.demo_orderLine).toBe(54 + 80);
      expect(reads.some((r) => r.collection === 'demo_orderLine' && r.field === 'id')).toBe(false);
      // The orders: found after each of the 3 line batches (4, 5 and 3 of them), each answer in
      // storage order, but the batch of 10 orders mixes answers: it is read by id.
      expect(reads.filter((r) => r.collection === 'demo_order').map((r) => r.docs)).toEqual([4, 5, 3, 10]);
      await expectPrice(raw, price);
    }
    expect((await rebuildAll(createRecomputeContext(meta(), raw))).changedCount ?? 0).toBe(0);
  });
});
