/**
 * The application's changes of the latency run and the soak, planned deterministically so that
 * the writer process and the measuring process agree on every one without telling each other:
 * orders round robin (an order comes back only after every other order), a different line of it
 * each time, the line's `qty` set to a new value (`qty % 20 + 1`, never the old one). Each step
 * also gives the values the change must produce: the line's `amount` and its order's `total`.
 */
import type { StorePort } from '../../src/store/index.ts';

interface Line {
  readonly id: string;
  readonly price: number;
  qty: number;
}

/** Order lines by order (in storage order: the order's total sums them in that order). */
export interface ChangeModel {
  readonly orders: ReadonlyMap<string, Line[]>;
  readonly orderIds: readonly string[];
}

/** One planned change. */
export interface PlannedChange {
  readonly index: number;
  readonly lineId: string;
  readonly orderId: string;
  readonly qty: number;
  /** `orderLine.amount` after the change. */
  readonly amount: number;
  /** `order.total` after the change (and every earlier one). */
  readonly total: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const amountOf = (line: Line): number => round2(line.qty * line.price);

/** Reads the lines, their prices and orders from the store as it is now. */
export async function readChangeModel(store: StorePort): Promise<ChangeModel> {
  const prices = new Map<string, number>();
  for await (const docs of store.scan('demo_product', null)) for (const doc of docs) prices.set(doc.sku as string, doc.price as number);
  const orders = new Map<string, Line[]>();
  for await (const docs of store.scan('demo_orderLine', null, { batchSize: 5000 })) {
    for (const doc of docs) {
      const price = prices.get(doc.product as string) ?? 0;
      // A line without a price would change nothing when its quantity changes.
      if (!(price > 0) || typeof doc.qty !== 'number') continue;
      const line: Line = { id: doc.id as string, price, qty: doc.qty };
      const list = orders.get(doc.order as string);
      if (list) list.push(line);
      else orders.set(doc.order as string, [line]);
    }
  }
  return { orders, orderIds: [...orders.keys()] };
}

/** The changes, one after another (it advances the model it was given). */
export class ChangePlan {
  private index = 0;

  constructor(private readonly model: ChangeModel) {
    if (model.orderIds.length === 0) throw new Error('no order lines to change');
  }

  next(): PlannedChange {
    const { orderIds, orders } = this.model;
    const index = this.index++;
    const orderId = orderIds[index % orderIds.length]!;
    const lines = orders.get(orderId)!;
    const line = lines[Math.floor(index / orderIds.length) % lines.length]!;
    line.qty = (line.qty % 20) + 1;
    const total = round2(lines.reduce((sum, l) => sum + amountOf(l), 0));
    return { index, lineId: line.id, orderId, qty: line.qty, amount: amountOf(line), total };
  }
}

/** Wall-clock milliseconds (fractional), comparable between processes. */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
