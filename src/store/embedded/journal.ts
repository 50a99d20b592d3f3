/**
 * The transaction journal: one row per changed document, appended inside the transaction that
 * changes it, so a change and its record commit or roll back together. It is the embedded change
 * feed; readers page through it by sequence number.
 */
import type { ChangeOperation, ChangeRecord } from '../port.ts';
import { decodeDocument, encodeDocument } from './codec.ts';
import type { SqliteConnection } from './connection.ts';
import { JOURNAL_TABLE } from './schema.ts';

/**
 * What a writer records about one change: a {@link ChangeRecord} (fields documented there) without
 * `seq`, which the table gives, and `time`, passed to {@link appendJournal} once for the transaction.
 */
export type JournalEntry = Omit<ChangeRecord, 'seq' | 'time'>;

/** Appends one row; call it inside the write transaction of the change. */
export function appendJournal(connection: SqliteConnection, time: string, entry: JournalEntry): void {
  connection.statement(`INSERT INTO ${JOURNAL_TABLE} (time, collection, class, id, op, changed, old, computed)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`).run(
    time, entry.collection, entry.className, entry.id, entry.op,
    JSON.stringify(entry.changedFields), encodeDocument(entry.oldValues), entry.computed ? 1 : 0,
  );
}

/**
 * A row of the journal table as SQLite returns it: the fields of a {@link ChangeRecord} with `time`
 * as ISO text, `className` in `class`, `changedFields` as a JSON array in `changed`, `oldValues`
 * encoded by the document codec in `old`, and `computed` as 0 or 1.
 */
interface JournalRow {
  seq: number; time: string; collection: string; class: string | null; id: string;
  op: ChangeOperation; changed: string; old: string; computed: number;
}

/** Up to `limit` records after `afterSequence`, oldest first. */
export function readJournal(connection: SqliteConnection, afterSequence: number, limit: number): ChangeRecord[] {
  const rows = connection.statement(`SELECT * FROM ${JOURNAL_TABLE} WHERE seq > ? ORDER BY seq LIMIT ?`)
    .all(afterSequence, limit) as JournalRow[];
  return rows.map((row) => ({
    seq: row.seq,
    time: new Date(row.time),
    collection: row.collection,
    className: row.class,
    id: row.id,
    op: row.op,
    changedFields: JSON.parse(row.changed) as string[],
    oldValues: decodeDocument(row.old),
    computed: row.computed === 1,
  }));
}

/** The newest sequence number ever given (kept by AUTOINCREMENT, so pruning does not lower it), 0 before the first. */
export function journalHead(connection: SqliteConnection): number {
  const row = connection.statement(`SELECT seq FROM sqlite_sequence WHERE name = '${JOURNAL_TABLE}'`).get() as { seq: number } | undefined;
  return row?.seq ?? 0;
}

/** What {@link pruneJournal} may delete. */
export interface JournalPruneOptions {
  /** Only records written before this time; the prefix stops at the first newer one. */
  readonly olderThan?: Date;
  /** Records per write transaction (default 10,000): a running writer waits for one chunk at most. */
  readonly chunk?: number;
  /** Count what would go, delete nothing. */
  readonly dryRun?: boolean;
}

/**
 * Deletes the oldest records, up to and including `throughSequence` and, with `olderThan`, only
 * while they are older than that: the deletion is always a prefix of the journal, so a record
 * whose clock went backwards behind a newer one is kept, never a gap left. Chunk by chunk, each in
 * its own write transaction. Returns how many records went (or would go).
 * Sequence numbers are never reused (AUTOINCREMENT).
 */
export function pruneJournal(
  connection: SqliteConnection, throughSequence: number, options: JournalPruneOptions = {},
): number {
  const chunk = options.chunk ?? 10_000;
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new RangeError(`chunk must be a positive integer, got ${chunk}`);
  const cutoff = options.olderThan?.toISOString();
  let pruned = 0;
  let through = 0;
  for (;;) {
    // Times are written by toISOString(), so text order is time order.
    const rows = connection.statement(`SELECT seq, time FROM ${JOURNAL_TABLE} WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`)
      .all(through, throughSequence, chunk) as { seq: number; time: string }[];
    const firstNewer = cutoff === undefined ? -1 : rows.findIndex((row) => row.time >= cutoff);
    const prefix = firstNewer === -1 ? rows.length : firstNewer;
    if (prefix === 0) break;
    const last = rows[prefix - 1]!.seq;
    if (!options.dryRun) connection.write(() => connection.statement(`DELETE FROM ${JOURNAL_TABLE} WHERE seq <= ?`).run(last));
    pruned += prefix;
    through = last;
    if (prefix < rows.length || rows.length < chunk) break;
  }
  return pruned;
}

/** The oldest record kept (its sequence and time), or null when the journal is empty. */
export function oldestJournalRecord(connection: SqliteConnection): { readonly seq: number; readonly time: Date } | null {
  const row = connection.statement(`SELECT seq, time FROM ${JOURNAL_TABLE} ORDER BY seq LIMIT 1`).get() as { seq: number; time: string } | undefined;
  return row ? { seq: row.seq, time: new Date(row.time) } : null;
}
