/**
 * `recalc init-indexes --meta DIR (--db PATH | --mongo URL --mongo-db NAME)`: creates the lookup
 * indexes the reverse steps of the dependency graph need (idempotent). No store creates them on
 * its own: this command is the one place they are made.
 */
import type { Command } from 'commander';
import { createLookupIndexes } from '../../store/index.ts';
import { metaDirOf, openMetaOrFail } from '../context.ts';
import type { CliIo } from '../io.ts';
import { openStoreFromOptions, withStoreOptions, type StoreOptions } from '../store-options.ts';

export function registerInitIndexes(program: Command, io: CliIo): void {
  const command = program
    .command('init-indexes')
    .description('create the indexes the reverse lookups of cached values need (idempotent)')
    .option('--meta <dir>', 'class meta directory (default: $META_DIR or meta/)');
  withStoreOptions(command, { data: false, mongo: true }).action(async (opts: StoreOptions & { meta?: string }) => {
    const meta = openMetaOrFail(metaDirOf(opts.meta), io);
    const indexes = meta.graph.lookupIndexes();
    const { store, description } = await openStoreFromOptions(opts, meta);
    try {
      await createLookupIndexes(store, indexes);
    } finally {
      await store.close();
    }
    for (const index of indexes) io.out(`  ${index.collection}.${index.field}${index.array ? ' (array)' : ''}`);
    io.out(`${indexes.length} lookup indexes on ${description}`);
  });
}
