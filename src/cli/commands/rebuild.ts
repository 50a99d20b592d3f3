/**
 * `recalc rebuild`: recomputes every cached value (and cached semantic) from scratch, with a
 * progress bar (objects/s, ETA) and a summary.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { createRecomputeContext, rebuildAll } from '../../recompute/index.ts';
import { hasTargets } from '../../recompute/targets.ts';
import type { MetaModel } from '../../meta/index.ts';
import type { StorePort } from '../../store/port.ts';
import { exportPath } from '../../store/index.ts';
import { metaDirOf, openMetaOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';
import { printSummary } from '../summary.ts';
import { openStoreFromOptions, withStoreOptions, type StoreOptions } from '../store-options.ts';

interface RebuildCliOptions extends StoreOptions {
  meta?: string;
  out?: string;
  class?: string[];
  batchSize: string;
  progress: boolean;
}

/** How many objects a rebuild of `classes` will process (for the progress bar's ETA). */
async function countObjects(meta: MetaModel, store: StorePort, classes: readonly string[] | undefined): Promise<number> {
  const repo = meta.repository;
  let total = 0;
  for (const cls of repo.list()) {
    if (!hasTargets(cls) && !cls.semanticCached) continue;
    if (classes && !classes.some((c) => repo.isA(cls.canonicalName, repo.find(c)?.canonicalName ?? c))) continue;
    const counted = await store.aggregate(cls.storage.collection, [cls.storage.discriminator], {}, 'count', cls.key[0] ?? 'id');
    total += counted?.matched ?? 0;
  }
  return total;
}

export function registerRebuild(program: Command, io: CliIo): void {
  const command = program
    .command('rebuild')
    .description('recompute every cached value from scratch (--data FILE --out FILE, --db PATH, or --mongo URL --mongo-db NAME)')
    .option('--meta <dir>', 'class meta directory (default: $META_DIR or meta/)')
    .option('--out <file>', 'with --data: write the recomputed documents here (Extended JSON, one per line)')
    .option('--class <name...>', 'only these classes (and their subclasses)')
    .option('--batch-size <n>', 'objects per batch', '500')
    .option('--no-progress', 'no progress bar');
  withStoreOptions(command, { data: true, mongo: true });
  command.action(async (opts: RebuildCliOptions) => {
    const meta = openMetaOrFail(metaDirOf(opts.meta), io);
    if (opts.data && !opts.out) throw new CliError('--data needs --out FILE: where to write the recomputed documents', 1);
    if (opts.out && !opts.data) throw new CliError('--out goes with --data', 1);
    for (const name of opts.class ?? []) if (!meta.repository.find(name)) throw new CliError(`--class: no class ${name} in the meta`, 1);
    const batchSize = Number(opts.batchSize);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new CliError(`--batch-size: a positive integer, not ${opts.batchSize}`, 1);

    const { store, kind, description } = await openStoreFromOptions(opts, meta);
    try {
      const total = await countObjects(meta, store, opts.class);
      const bar = opts.progress && process.stderr.isTTY ? new SingleBar({ format: 'rebuild {bar} {value}/{total} objects | {speed} obj/s | ETA {eta_formatted}', stream: process.stderr }) : undefined;
      const started = performance.now();
      let done = 0;
      bar?.start(total, 0, { speed: 0 });
      const ctx = createRecomputeContext(meta, store, {
        batchSize,
        // A rebuild from a file is a snapshot: no one reads its journal.
        journal: kind !== 'data',
        // A full rebuild only reports how many values changed: keeping each change costs memory.
        keepChanges: false,
        hooks: {
          onBatch: ({ objects }) => {
            done += objects;
            bar?.update(done, { speed: Math.round(done / ((performance.now() - started) / 1000)) });
          },
        },
      });
      const result = await rebuildAll(ctx, opts.class ? { classes: opts.class } : {});
      bar?.stop();
      const seconds = (performance.now() - started) / 1000;
      printSummary(io, `rebuilt ${description}`, result, seconds);
      if (opts.out) {
        const count = await exportPath(store, opts.out, { format: 'lines' });
        io.out(`wrote ${count} documents to ${opts.out}`);
      }
      if (result.errors.length > 0) throw new CliError(`${result.errors.length} formula error(s); see above`, 1);
    } finally {
      await store.close();
    }
  });
}
