/**
 * `recalc import`, `recalc export`, `recalc apply`: moving documents into and out of an embedded
 * store file, and writing a change script into it the way an application would (journaled, no
 * recompute of its own) so a running worker picks the changes up.
 */
import type { Command } from 'commander';
import { exportPath, importPath } from '../../store/index.ts';
import { applyScriptChange, readChangeScript } from '../change-script.ts';
import { collectionOfDocument, metaDirOf, openEmbeddedOrFail, openMetaOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';
import { docIdOf } from '../document-id.ts';

export function registerStoreTransfer(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('import documents (mongoexport Extended JSON: an array or one per line; ION data files) into an embedded store')
    .requiredOption('--db <path>', 'embedded store file (created if missing)')
    .requiredOption('--data <file>', 'documents to import (a file or a folder of ION data files)')
    .option('--meta <dir>', 'class meta directory (default: $META_DIR or meta/)')
    .option('--journal', 'journal the inserts as application changes (a running worker recomputes them)')
    .action(async (opts: { db: string; data: string; meta?: string; journal?: boolean }) => {
      const meta = openMetaOrFail(metaDirOf(opts.meta), io);
      const store = openEmbeddedOrFail(opts.db);
      try {
        const count = await importPath(store, opts.data, {
          collectionOf: collectionOfDocument(meta),
          ...(opts.journal ? { idOf: docIdOf(meta) } : {}),
        });
        io.out(`imported ${count} documents into ${opts.db}`);
      } catch (error) {
        throw error instanceof CliError ? error : new CliError(`import of ${opts.data} failed: ${(error as Error).message}`, 1);
      } finally {
        await store.close();
      }
    });

  program
    .command('export')
    .description('export every document of an embedded store as Extended JSON (as mongoexport writes it)')
    .requiredOption('--db <path>', 'embedded store file')
    .requiredOption('--out <file>', 'file to write')
    .option('--format <format>', 'lines (one document per line, as mongoexport) or array', 'lines')
    .action(async (opts: { db: string; out: string; format: string }) => {
      if (opts.format !== 'lines' && opts.format !== 'array') throw new CliError(`--format: lines or array, not ${opts.format}`, 1);
      const store = openEmbeddedOrFail(opts.db);
      try {
        const count = await exportPath(store, opts.out, { format: opts.format });
        io.out(`exported ${count} documents to ${opts.out}`);
      } finally {
        await store.close();
      }
    });

  program
    .command('apply')
    .description('write a change script into an embedded store as an application would (journaled, no recompute)')
    .requiredOption('--db <path>', 'embedded store file')
    .requiredOption('--changes <file>', 'change script: one JSON line per change {"op","class","id","doc"|"set"|"unset"}')
    .option('--meta <dir>', 'class meta directory (default: $META_DIR or meta/)')
    .action(async (opts: { db: string; changes: string; meta?: string }) => {
      const meta = openMetaOrFail(metaDirOf(opts.meta), io);
      const changes = readChangeScript(opts.changes, meta);
      const store = openEmbeddedOrFail(opts.db);
      let written = 0;
      try {
        for (const change of changes) {
          try {
            if (await applyScriptChange(store, meta, change)) written++;
          } catch (error) {
            throw new CliError(`${opts.changes}:${change.line}: ${change.op} ${change.class} ${change.id}: ${(error as Error).message}`, 1);
          }
        }
      } finally {
        await store.close();
      }
      io.out(`applied ${changes.length} changes (${written} changed stored documents) to ${opts.db}`);
    });
}
