/** Opening what commands share — meta and stores — with errors that say what to fix. */
import { existsSync } from 'node:fs';
import { formatMetaDiagnostic, hasErrors, openMeta, type MetaModel } from '../meta/index.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../store/index.ts';
import type { StoredDocument } from '../store/port.ts';
import { CliError, type CliIo } from './io.ts';

/** The meta directory a command uses: `--meta`, else `META_DIR`, else `meta/`. */
export function metaDirOf(option: string | undefined): string {
  return option ?? process.env.META_DIR ?? 'meta';
}

/** Loads meta; any error stops the command with every problem listed (warnings are printed). */
export function openMetaOrFail(dir: string, io: CliIo): MetaModel {
  if (!existsSync(dir)) throw new CliError(`meta directory not found: ${dir}`, 1);
  const meta = openMeta(dir);
  if (hasErrors(meta.diagnostics)) {
    const errors = meta.diagnostics.filter((d) => d.severity === 'error').map((d) => formatMetaDiagnostic(d));
    throw new CliError(`${dir}: invalid meta (run recalc check --meta ${dir}):\n${errors.join('\n')}`, 1);
  }
  for (const warning of meta.diagnostics) if (warning.severity === 'warning' && process.env.RECALC_VERBOSE) io.err(formatMetaDiagnostic(warning));
  return meta;
}

/** Opens (creating if needed) an embedded store file. */
export function openEmbeddedOrFail(path: string): EmbeddedStore {
  try {
    return openEmbeddedStore({ path });
  } catch (error) {
    throw new CliError(`cannot open the embedded store ${path}: ${(error as Error).message}`, 1);
  }
}

/** The collection a stored document belongs to, from its `_class` (ION's layout). */
export function collectionOfDocument(meta: MetaModel): (doc: StoredDocument) => string {
  return (doc) => {
    const className = doc._class;
    const cls = typeof className === 'string' ? meta.repository.find(className) : undefined;
    if (!cls) {
      const shown = JSON.stringify(doc).slice(0, 120);
      throw new CliError(`document with unknown _class ${JSON.stringify(className)}: ${shown}`, 1);
    }
    return cls.storage.collection;
  };
}
