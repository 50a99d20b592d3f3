/**
 * `recalc replay`: loads a data file, settles its caches, applies a change script through the
 * incremental pipeline (each change written as an application would, then recomputed from the
 * journal with its cascade) and writes the final documents.
 */
import type { Command } from 'commander';
import { applyChanges, createRecomputeContext, rebuildAll, type RecomputeResult } from '../../recompute/index.ts';
import { exportPath } from '../../store/index.ts';
import type { StorePort } from '../../store/port.ts';
import { applyScriptChange, readChangeScript } from '../change-script.ts';
import { metaDirOf, openMetaOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';
import { printSummary } from '../summary.ts';
import { openStoreFromOptions } from '../store-options.ts';

/** Application changes journaled after `after` (our own computed writes left out). */
async function newChanges(store: StorePort, after: number) {
  const records = [];
  for (let page = await store.readChanges(after, 1000); page.length > 0; page = await store.readChanges(after, 1000)) {
    records.push(...page);
    after = page[page.length - 1]?.seq ?? after;
  }
  return { records: records.filter((r) => !r.computed), head: after };
}

function merge(total: RecomputeResult, part: RecomputeResult): void {
  total.written += part.written;
  total.objects += part.objects;
  total.changedFields.push(...part.changedFields);
  total.cascade.push(...part.cascade);
  total.warnings.push(...part.warnings);
  total.errors.push(...part.errors);
}

export function registerReplay(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description('apply a change script through the incremental pipeline and write the final documents')
    .option('--meta <dir>', 'class meta directory (default: $META_DIR or meta/)')
    .requiredOption('--data <file>', 'the starting documents (Extended JSON or ION data files)')
    .requiredOption('--changes <file>', 'change script: one JSON line per change {"op","class","id","doc"|"set"|"unset"}')
    .requiredOption('--out <file>', 'where to write the final documents (Extended JSON, one per line)')
    .option('-v, --verbose', 'print every value that changes')
    .action(async (opts: { meta?: string; data: string; changes: string; out: string; verbose?: boolean }) => {
      const meta = openMetaOrFail(metaDirOf(opts.meta), io);
      const script = readChangeScript(opts.changes, meta);
      const { store } = await openStoreFromOptions({ data: opts.data }, meta);
      try {
        await rebuildAll(createRecomputeContext(meta, store, { journal: false }));
        const ctx = createRecomputeContext(meta, store, {
          hooks: opts.verbose
            ? { onChange: (c, why) => io.out(`${c.class} ${c.id} ${c.attribute}: ${JSON.stringify(c.old)} → ${JSON.stringify(c.new)} (${why})`) }
            : {},
        });
        const started = performance.now();
        const total: RecomputeResult = { written: 0, objects: 0, changedFields: [], cascade: [], warnings: [], errors: [] };
        let head = await store.headSequence();
        for (const change of script) {
          try {
            await applyScriptChange(store, meta, change);
          } catch (error) {
            throw new CliError(`${opts.changes}:${change.line}: ${change.op} ${change.class} ${change.id}: ${(error as Error).message}`, 1);
          }
          const fresh = await newChanges(store, head);
          head = fresh.head;
          if (fresh.records.length > 0) merge(total, await applyChanges(ctx, fresh.records));
        }
        printSummary(io, `replayed ${script.length} changes`, total, (performance.now() - started) / 1000);
        const count = await exportPath(store, opts.out, { format: 'lines' });
        io.out(`wrote ${count} documents to ${opts.out}`);
      } finally {
        await store.close();
      }
    });
}
