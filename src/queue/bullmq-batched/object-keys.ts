/**
 * The Redis keys of the batched queue's per-object state, next to BullMQ's own keys of the same
 * queue (`<prefix>:<name>:…`), so one prefix holds everything.
 */

/** The keys, in the order the scripts take them. */
export interface ObjectKeys {
  /** ZSET refKey → order: objects waiting. */
  readonly waiting: string;
  /** HASH refKey → JSON item data (reason, changedAt, attempt) of waiting, delayed and active objects. */
  readonly data: string;
  /** HASH refKey → lease id: objects being recomputed. */
  readonly active: string;
  /** HASH refKey → JSON data: objects changed while active (run again after). */
  readonly dirty: string;
  /** ZSET refKey → due time (ms): objects waiting for a retry. */
  readonly delayed: string;
  /** SET of lease ids with objects. */
  readonly leases: string;
  /** Counter of the order. */
  readonly seq: string;
  /** LIST of JSON failure records, newest first. */
  readonly failed: string;
  /** Counter of completed objects. */
  readonly completed: string;
  /** `<prefix>:<name>:` — BullMQ's job keys (`…<jobId>:lock`) and the lease sets (`…obj:lease:<id>`) hang off it. */
  readonly base: string;
}

/** The keys of queue `name` under `prefix`. */
export function objectKeys(prefix: string, name: string): ObjectKeys {
  const base = `${prefix}:${name}:`;
  const obj = `${base}obj:`;
  return {
    waiting: `${obj}waiting`,
    data: `${obj}data`,
    active: `${obj}active`,
    dirty: `${obj}dirty`,
    delayed: `${obj}delayed`,
    leases: `${obj}leases`,
    seq: `${obj}seq`,
    failed: `${obj}failed`,
    completed: `${obj}completed`,
    base,
  };
}

/** The keys in script order (KEYS[1..9]). */
export function keyList(keys: ObjectKeys): string[] {
  return [keys.waiting, keys.data, keys.active, keys.dirty, keys.delayed, keys.leases, keys.seq, keys.failed, keys.completed];
}
