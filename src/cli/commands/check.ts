/** `recalc check [--meta DIR]`: loads and validates class meta, prints every problem compiler-style; exit 1 on any error. */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { formatMetaDiagnostic, metaExcerpt, openMeta } from '../../meta/index.ts';
import { CliError, type CliIo } from '../io.ts';

/** The directory given with `--meta` (shared with `graph`), or a `CliError` (exit 2) when it is not one. */
export function metaDirOption(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`--meta: ${dir} is not a directory`, 2);
  return dir;
}

export function registerCheck(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('validate the class meta: JSON, schema, classes, links, formulas, cacheDependencies')
    .option('--meta <dir>', 'directory of *.class.json files (searched recursively)', 'meta')
    .option('--namespace <ns>', 'namespace of classes that name none')
    .option('--no-warnings', 'print errors only')
    .option('--excerpts', 'print the offending line of the file with a caret under each problem')
    .action((opts: { meta: string; namespace?: string; warnings: boolean; excerpts?: boolean }) => {
      const meta = openMeta(metaDirOption(opts.meta), opts.namespace ? { namespace: opts.namespace } : {});
      const errors = meta.diagnostics.filter((d) => d.severity === 'error').length;
      const warnings = meta.diagnostics.length - errors;
      for (const d of meta.diagnostics) {
        if (!opts.warnings && d.severity !== 'error') continue;
        const text = opts.excerpts ? meta.sink.source(d.file)?.text : undefined;
        const excerpt = text === undefined ? '' : metaExcerpt(d, text);
        io.out(excerpt ? `${formatMetaDiagnostic(d)}\n${excerpt}` : formatMetaDiagnostic(d));
      }
      const n = meta.repository.classes.size;
      const summary = `${n} class${n === 1 ? '' : 'es'}, ${meta.formulas.length} formulas: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
      if (errors > 0) throw new CliError(summary, 1);
      io.out(summary);
    });
}
