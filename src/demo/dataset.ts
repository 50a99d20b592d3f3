/**
 * The demo dataset for the bundled application in `meta/` (namespace `demo`): a telecom registry
 * and MES orders, generated deterministically at any scale. Documents are in ION's storage layout
 * (collection per root class, `_class`, references as keys, id-array collections) and carry no
 * cached values: computing those is the point.
 *
 * `npm start` uses a small scale; the recompute benchmark scales it to a million objects.
 */
export interface DemoDocument {
  /** Collection of the document's root class (`demo_<root>`). */
  readonly collection: string;
  readonly doc: Record<string, unknown>;
}

export interface DemoScale {
  /** Districts (each with settlements, stations, branches). */
  readonly districts: number;
  /** Settlements per district. */
  readonly settlementsPerDistrict: number;
  /** Orders (each with `linesPerOrder` lines). */
  readonly orders: number;
  readonly linesPerOrder: number;
  readonly products: number;
}

/** The scale `npm start` runs: a few dozen objects, readable in a terminal. */
export const SMALL_DEMO: DemoScale = { districts: 2, settlementsPerDistrict: 2, orders: 3, linesPerOrder: 2, products: 3 };

/** A scale with about `total` objects, mostly order lines (as a real MES has). */
export function scaleFor(total: number): DemoScale {
  const base = { districts: Math.max(2, Math.round(total / 2000)), settlementsPerDistrict: 5, orders: 0, linesPerOrder: 8 };
  const products = Math.max(3, Math.round(total / 1000));
  const rest = total - countDemoDocuments({ ...base, products });
  return { ...base, products, orders: Math.max(3, Math.round(rest / (1 + base.linesPerOrder))) };
}

/** Counts the documents a scale produces, without producing them. */
export function countDemoDocuments(scale: DemoScale): number {
  const settlements = scale.districts * scale.settlementsPerDistrict;
  const telecom = 3 + scale.districts + settlements * 3 + Math.ceil(scale.districts / 2) + settlements;
  return telecom + scale.products + scale.orders * (1 + scale.linesPerOrder);
}

/** A small deterministic PRNG (mulberry32), so every run builds the same data. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['Берёзовка', 'Луговое', 'Заречье', 'Сосновка', 'Ключи', 'Озёрное', 'Каменка', 'Ивановка'];
const OPERATORS = [
  { id: 'op-1', name: 'ПАО «МегаФон»', inn: '7812014560', brand: 'МегаФон' },
  { id: 'op-2', name: 'ПАО «МТС»', inn: '7740000076', brand: 'МТС' },
  { id: 'op-3', name: 'ПАО «ВымпелКом»', inn: '7713076301', brand: 'Билайн' },
];
const STANDARDS = ['GSM', 'UMTS', 'LTE'];
const PRODUCTS = ['Bolt M8', 'Nut M8', 'Washer 8', 'Bracket', 'Hinge', 'Gasket', 'Spring', 'Rivet'];

const doc = (collection: string, className: string, fields: Record<string, unknown>): DemoDocument => ({
  collection,
  doc: { ...fields, _class: `${className}@demo`, _classVer: '' },
});

/** Generates the demo documents in an order where every reference points backwards. */
export function* generateDemoData(scale: DemoScale = SMALL_DEMO, seed = 42): Generator<DemoDocument> {
  const rnd = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;

  for (const op of OPERATORS) yield doc('demo_organization', 'operator', op);

  const postOffices = Math.ceil(scale.districts / 2);
  for (let d = 0; d < scale.districts; d++) {
    const code = `D${String(d + 1).padStart(4, '0')}`;
    yield doc('demo_district', 'district', { code, name: `Район ${d + 1}`, postOffices: [`po-${Math.floor(d / 2) + 1}`] });
    for (let s = 0; s < scale.settlementsPerDistrict; s++) {
      const okato = `${code}-${s + 1}`;
      yield doc('demo_settlement', 'settlement', {
        okato,
        name: `${pick(NAMES)}-${d + 1}.${s + 1}`,
        population: 100 + Math.floor(rnd() * 5000),
        district: code,
      });
      const branchId = `br-${okato}`;
      yield doc('demo_branch', 'branch', {
        id: branchId,
        postIndex: 600000 + d * 100 + s,
        name: `ОПС ${okato}`,
        kind: rnd() < 0.6 ? 'b' : 'c',
        stations: [okato],
      });
      yield doc('demo_commStation', 'commStation', { settlement: okato, branches: [branchId] });
      const op = pick(OPERATORS);
      yield doc('demo_mobileService', 'mobileService', {
        id: `ms-${okato}`,
        station: okato,
        operator: op.id,
        standard: pick(STANDARDS),
      });
    }
  }
  for (let p = 0; p < postOffices; p++) {
    const districts = [2 * p, 2 * p + 1].filter((d) => d < scale.districts).map((d) => `D${String(d + 1).padStart(4, '0')}`);
    yield doc('demo_organization', 'postOffice', { id: `po-${p + 1}`, name: `Почтамт №${p + 1}`, inn: `77${String(p).padStart(8, '0')}`, districts });
  }

  for (let p = 0; p < scale.products; p++) {
    yield doc('demo_product', 'product', {
      sku: `SKU-${String(p + 1).padStart(5, '0')}`,
      name: `${PRODUCTS[p % PRODUCTS.length]} #${p + 1}`,
      price: Math.round((1 + rnd() * 99) * 100) / 100,
    });
  }
  const start = Date.UTC(2024, 0, 1);
  for (let o = 0; o < scale.orders; o++) {
    const number = `ORD-${String(o + 1).padStart(7, '0')}`;
    yield doc('demo_order', 'order', {
      number,
      customer: `Customer ${1 + Math.floor(rnd() * 50)}`,
      placed: new Date(start + o * 3_600_000),
      status: pick(['new', 'in work', 'shipped']),
    });
    for (let l = 0; l < scale.linesPerOrder; l++) {
      yield doc('demo_orderLine', 'orderLine', {
        id: `${number}-${l + 1}`,
        order: number,
        product: `SKU-${String(1 + Math.floor(rnd() * scale.products)).padStart(5, '0')}`,
        qty: 1 + Math.floor(rnd() * 20),
      });
    }
  }
}
