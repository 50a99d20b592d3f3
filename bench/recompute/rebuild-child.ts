/**
 * The full rebuild, run in its own process so that its peak RSS is the rebuild's alone (the
 * loading phase of the parent does not count). Usage: `node --import tsx rebuild-child.ts
 * <meta dir> <store file> <batch size>`; prints one JSON line with the figures.
 */
import { readFileSync } from 'node:fs';
import { openMeta } from '../../src/meta/index.ts';
import { createRecomputeContext, rebuildAll } from '../../src/recompute/index.ts';
import { openEmbeddedStore } from '../../src/store/index.ts';
import { timedStore } from './timed-store.ts';

export interface RebuildFigures {
  readonly objects: number;
  readonly seconds: number;
  readonly written: number;
  readonly changedValues: number;
  readonly cascade: number;
  readonly warnings: number;
  readonly errors: number;
  /** Peak resident set size of this process, KiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssKiB: number;
  /** Wall time in each store method, seconds. */
  readonly storeSeconds: Record<string, number>;
  readonly cpuSeconds: number;
  /** Time spent runnable but waiting for a CPU (Linux schedstat; other processes on the cores), or null. */
  readonly cpuWaitSeconds: number | null;
}

/** Run-queue wait of this process so far, in seconds (Linux), or null where unavailable. */
function runQueueWait(): number | null {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return null;
  }
}

const [metaDir, path, batch] = process.argv.slice(2);
if (!metaDir || !path) throw new Error('usage: rebuild-child.ts <meta dir> <store file> [batch size]');
const meta = openMeta(metaDir);
const raw = openEmbeddedStore({ path });
const store = timedStore(raw);
// `keepChanges: false`: count the values written instead of keeping a record of each (the
// engine's setting for large rebuilds: 2.2 million records would hold ~800 MiB of heap at peak).
const ctx = createRecomputeContext(meta, store, { journal: false, keepChanges: false, batchSize: Number(batch ?? 500) });
const cpu = process.cpuUsage();
const waitBefore = runQueueWait();
const start = performance.now();
const result = await rebuildAll(ctx);
const seconds = (performance.now() - start) / 1000;
const used = process.cpuUsage(cpu);
const waitAfter = runQueueWait();
await raw.close();
const figures: RebuildFigures = {
  objects: result.objects,
  seconds,
  written: result.written,
  changedValues: result.changedCount ?? result.changedFields.length,
  cascade: result.cascade.length,
  warnings: result.warningCount ?? result.warnings.length,
  errors: result.errors.length,
  maxRssKiB: process.resourceUsage().maxRSS,
  storeSeconds: Object.fromEntries([...store.timings].map(([name, t]) => [name, t.ms / 1000])),
  cpuSeconds: (used.user + used.system) / 1e6,
  cpuWaitSeconds: waitBefore === null || waitAfter === null ? null : waitAfter - waitBefore,
};
console.log(JSON.stringify(figures));
