/**
 * `recalc demo` (`npm start`): the embedded default. The demo application of `meta/` and a
 * generated demo dataset on an embedded store; a rebuild, then a short scripted series of edits
 * written as an application writes them, each recomputed from the journal with its cascade and
 * printed as it happens (class, id, attribute: old → new, why); a summary; exit 0.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { generateDemoData, SMALL_DEMO } from '../../demo/dataset.ts';
import { applyChanges, createRecomputeContext, rebuildAll, type RecomputeResult } from '../../recompute/index.ts';
import { openEmbeddedStore } from '../../store/index.ts';
import type { StoredDocument, StorePort } from '../../store/port.ts';
import { applyScriptChange, type ScriptChange } from '../change-script.ts';
import { openMetaOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';

const DEMO_META = join(dirname(fileURLToPath(import.meta.url)), '../../../meta');

const show = (v: unknown): string => (v instanceof Date ? v.toISOString() : JSON.stringify(v));

/** The scripted edits, chosen from the generated data so that each one cascades. */
function scriptFor(docs: readonly { collection: string; doc: StoredDocument }[]): { title: string; change: ScriptChange }[] {
  const first = (cls: string) => docs.find((d) => d.doc._class === `${cls}@demo`)?.doc as StoredDocument;
  const last = (cls: string) => [...docs].reverse().find((d) => d.doc._class === `${cls}@demo`)?.doc as StoredDocument;
  const product = first('product');
  const settlement = first('settlement');
  const otherDistrict = last('district');
  const branch = first('branch');
  const line = first('orderLine');
  const station = first('commStation');
  const newPrice = Math.round(((product.price as number) + 10) * 100) / 100;
  const newKind = branch.kind === 'b' ? 'c' : 'b';
  return [
    {
      title: `product ${product.sku}: price ${product.price} → ${newPrice}`,
      change: { op: 'update', class: 'product@demo', id: String(product.sku), set: { price: newPrice }, unset: [], line: 1 },
    },
    {
      title: `settlement ${settlement.okato} moves from district ${settlement.district} to ${otherDistrict.code}`,
      change: { op: 'update', class: 'settlement@demo', id: String(settlement.okato), set: { district: otherDistrict.code }, unset: [], line: 2 },
    },
    {
      title: `branch ${branch.id}: kind ${branch.kind} → ${newKind}, renamed`,
      change: { op: 'update', class: 'branch@demo', id: String(branch.id), set: { kind: newKind, name: `${branch.name} (moved)` }, unset: [], line: 3 },
    },
    {
      title: `a new mobile service at station ${station.settlement}`,
      change: { op: 'insert', class: 'mobileService@demo', id: 'ms-demo-new', doc: { station: station.settlement, operator: 'op-2', standard: '5G' }, line: 4 },
    },
    {
      title: `order line ${line.id} is deleted`,
      change: { op: 'delete', class: 'orderLine@demo', id: String(line.id), line: 5 },
    },
  ];
}

export function registerDemo(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description('the embedded default: demo meta and data on an embedded store, scripted edits, each recompute and cascade printed')
    .option('--db <path>', 'embedded store file to keep (default: in memory)')
    .action(async (opts: { db?: string }) => {
      const meta = openMetaOrFail(DEMO_META, io);
      const store: StorePort = openEmbeddedStore({ path: opts.db ?? ':memory:' });
      try {
        if ((await store.headSequence()) > 0 || (await store.listCollections()).length > 0) {
          throw new CliError(`${opts.db} already holds data: give a new file`, 1);
        }
        const docs = [...generateDemoData(SMALL_DEMO)];
        const byCollection = new Map<string, StoredDocument[]>();
        for (const { collection, doc } of docs) byCollection.set(collection, [...(byCollection.get(collection) ?? []), doc]);
        for (const [collection, list] of byCollection) await store.load(collection, list);
        io.out(`ion-recalc demo: ${meta.repository.classes.size} classes from meta/, ${docs.length} objects on ${opts.db ?? 'an in-memory'} embedded store`);

        const started = performance.now();
        const initial = await rebuildAll(createRecomputeContext(meta, store, { journal: false }));
        io.out(`initial rebuild: ${initial.objects} objects, ${initial.changedFields.length} cached values computed in ${((performance.now() - started) / 1000).toFixed(2)} s\n`);

        const ctx = createRecomputeContext(meta, store, {
          hooks: {
            onChange: (c, why) => io.out(`  ${c.class} ${c.id} ${c.attribute}: ${show(c.old)} → ${show(c.new)}\n      because ${why}`),
          },
        });
        let head = await store.headSequence();
        let objects = 0;
        let values = 0;
        const warnings: RecomputeResult['warnings'] = [];
        const script = scriptFor(docs);
        for (const [i, { title, change }] of script.entries()) {
          io.out(`edit ${i + 1}: ${title}`);
          await applyScriptChange(store, meta, change);
          const records = (await store.readChanges(head, 1000)).filter((r) => !r.computed);
          head = await store.headSequence();
          const result = await applyChanges(ctx, records);
          objects += result.objects;
          values += result.changedFields.length;
          warnings.push(...result.warnings);
          io.out(`  → ${result.objects} objects recomputed, ${result.changedFields.length} values changed, ${result.cascade.length} by cascade\n`);
        }
        for (const w of warnings) io.err(`warning: ${w.class} ${w.id}${w.attribute ? `.${w.attribute}` : ''}: ${w.message}`);
        io.out(`summary: ${script.length} edits, ${objects} objects recomputed, ${values} values changed, ${warnings.length} warnings`);
      } finally {
        await store.close();
      }
    });
}
