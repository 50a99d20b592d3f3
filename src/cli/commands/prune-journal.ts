/**
 * `recalc prune-journal`: keeps an embedded store's journal from growing without end. Only the
 * records every reader has passed may go — at or below the lowest of the checkpoints kept in the
 * store (the worker's journal feed keeps `feed`; every journal reader keeps one) — and, with
 * `--older-than`, only those older than that. The deletion is a prefix of the journal, chunk by
 * chunk, so a running worker and application keep writing meanwhile.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { journalPosition } from '../../feed/index.ts';
import type { EmbeddedStore } from '../../store/index.ts';
import { openEmbeddedOrFail } from '../context.ts';
import { CliError, type CliIo } from '../io.ts';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `90s`, `30m`, `12h`, `7d`, `2w` → milliseconds; a clear error otherwise. */
export function parseAge(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text.trim());
  if (!match) throw new CliError(`${flag}: expected a number and a unit s, m, h, d or w (e.g. 7d, 12h), got ${JSON.stringify(text)}`, 1);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/**
 * The lowest position among the store's checkpoints, leaving out the ignored ones: what every
 * reader of the journal has passed. Refuses when there is none, or one is not a sequence.
 */
async function readersPassed(store: EmbeddedStore, ignored: readonly string[], db: string): Promise<{ name: string; position: number }> {
  const checkpoints = await store.listCheckpoints();
  const unknown = ignored.filter((name) => !checkpoints.has(name));
  if (unknown.length > 0) throw new CliError(`--ignore-checkpoint: ${db} has no checkpoint ${unknown.map((n) => JSON.stringify(n)).join(', ')} (it has ${[...checkpoints.keys()].map((n) => JSON.stringify(n)).join(', ') || 'none'})`, 1);
  let lowest: { name: string; position: number } | null = null;
  for (const [name, value] of checkpoints) {
    if (ignored.includes(name)) continue;
    // An empty value is a cleared checkpoint (that reader reconciles when it starts): it keeps
    // everything, as position 0.
    const position = value === '' ? 0 : journalPosition(value);
    if (position === null) {
      throw new CliError(`${db}: checkpoint "${name}" holds ${JSON.stringify(value)}, not a journal sequence; nothing pruned (leave it out with --ignore-checkpoint ${name})`, 1);
    }
    if (lowest === null || position < lowest.position) lowest = { name, position };
  }
  if (lowest === null) {
    throw new CliError(
      `${db}: no journal reader has a checkpoint here${ignored.length > 0 ? ' (besides those ignored)' : ''}, so every record may still be unread; nothing pruned `
      + '(start the worker once: its feed keeps the checkpoint "feed")', 1);
  }
  return lowest;
}

export function registerPruneJournal(program: Command, io: CliIo): void {
  program
    .command('prune-journal')
    .description("delete an embedded store's oldest journal records, once every reader (checkpoint) has passed them")
    .option('--db <path>', 'embedded store file (default: $EMBEDDED_DB)', process.env.EMBEDDED_DB)
    .option('--older-than <age>', 'only records older than this (e.g. 7d, 12h); default: every record the readers passed')
    .option('--ignore-checkpoint <name...>', 'leave out the checkpoint of a reader that is gone for good (its unread records may then be deleted)', [])
    .option('--chunk <n>', 'records deleted per transaction', '10000')
    .option('--dry-run', 'count what would be deleted, delete nothing')
    .action(async (opts: { db?: string; olderThan?: string; ignoreCheckpoint: string[]; chunk: string; dryRun?: boolean }) => {
      if (!opts.db) throw new CliError('prune-journal needs --db PATH (or $EMBEDDED_DB): the journal is the embedded store\'s; MongoDB\'s change feed is its oplog', 1);
      if (!existsSync(opts.db)) throw new CliError(`--db: no such file ${opts.db}`, 1);
      const chunk = Number(opts.chunk);
      if (!Number.isSafeInteger(chunk) || chunk < 1) throw new CliError(`--chunk: expected a positive integer, got ${JSON.stringify(opts.chunk)}`, 1);
      const olderThan = opts.olderThan === undefined ? undefined : new Date(Date.now() - parseAge(opts.olderThan, '--older-than'));
      const store = openEmbeddedOrFail(opts.db);
      try {
        const reader = await readersPassed(store, opts.ignoreCheckpoint, opts.db);
        const pruned = await store.pruneChanges(reader.position, { ...(olderThan ? { olderThan } : {}), chunk, dryRun: opts.dryRun === true });
        const oldest = await store.oldestChange();
        const head = await store.headSequence();
        const age = olderThan ? ` and older than ${olderThan.toISOString()}` : '';
        io.out(`${opts.dryRun ? 'would prune' : 'pruned'} ${pruned.toLocaleString('en')} journal records (at or below "${reader.name}" at ${reader.position}${age}); `
          + `head ${head}; oldest record now: ${oldest ? `${oldest.seq} (${oldest.time.toISOString()})` : 'none'}`);
      } finally {
        await store.close();
      }
    });
}
