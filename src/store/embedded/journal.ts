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

/** Deletes the records up to and including `throughSequence`; returns how many. Sequence numbers are never reused (AUTOINCREMENT). */
export function pruneJournal(connection: SqliteConnection, throughSequence: number): number {
  return connection.statement(`DELETE FROM ${JOURNAL_TABLE} WHERE seq <= ?`).run(throughSequence).changes;
}
