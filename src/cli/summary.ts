/** The summary a recompute command prints: objects, values changed, warnings and errors. */
import type { RecomputeResult } from '../recompute/index.ts';
import type { CliIo } from './io.ts';

const SHOWN = 20;

export function printSummary(io: CliIo, title: string, result: RecomputeResult, seconds: number): void {
  const rate = seconds > 0 ? Math.round(result.objects / seconds) : result.objects;
  io.out(
    `${title}: ${result.objects} objects in ${seconds.toFixed(2)} s (${rate} objects/s), ` +
      `${result.changedCount ?? result.changedFields.length} values changed in ${result.written} documents, ` +
      `${result.warningCount ?? result.warnings.length} warnings, ${result.errors.length} errors`,
  );
  for (const w of result.warnings.slice(0, SHOWN)) io.err(`warning: ${w.class} ${w.id}${w.attribute ? `.${w.attribute}` : ''}: ${w.message}`);
  const warnings = result.warningCount ?? result.warnings.length;
  if (warnings > SHOWN) io.err(`… and ${warnings - SHOWN} more warnings`);
  for (const e of result.errors.slice(0, SHOWN)) io.err(`error: ${e.class} ${e.id}.${e.attribute}: ${e.message}`);
  if (result.errors.length > SHOWN) io.err(`… and ${result.errors.length - SHOWN} more errors`);
}
