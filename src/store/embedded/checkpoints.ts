/** Named checkpoints (feed positions) in the `store_checkpoints` table. */
import type { SqliteConnection } from './connection.ts';
import { CHECKPOINT_TABLE } from './schema.ts';

/** The stored value, `null` when never set. */
export function readCheckpoint(connection: SqliteConnection, name: string): string | null {
  const row = connection.statement(`SELECT value FROM ${CHECKPOINT_TABLE} WHERE name = ?`).get(name) as { value: string } | undefined;
  return row?.value ?? null;
}

/** Stores or replaces a checkpoint. */
export function writeCheckpoint(connection: SqliteConnection, name: string, value: string): void {
  connection.statement(`INSERT INTO ${CHECKPOINT_TABLE} (name, value) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET value = excluded.value`).run(name, value);
}

/** Every checkpoint, name → value, by name. */
export function readCheckpoints(connection: SqliteConnection): Map<string, string> {
  const rows = connection.statement(`SELECT name, value FROM ${CHECKPOINT_TABLE} ORDER BY name`).all() as { name: string; value: string }[];
  return new Map(rows.map((row) => [row.name, row.value]));
}
