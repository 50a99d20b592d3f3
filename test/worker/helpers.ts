/**
 * What the worker's end-to-end tests share: a demo store file, the worker as a child process, a
 * writer applying random application changes (journaled, as `recalc apply` writes), `recalc
 * status` as a child process, and the comparison of every cached value with a from-scratch
 * rebuild of the same documents.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { generateDemoData, random, type DemoScale } from '../../src/demo/dataset.ts';
import { encodeValue } from '../../src/formula/value-encoding.ts';
import { objectId, openMeta, type MetaModel } from '../../src/meta/index.ts';
import { cachedTargets, createRecomputeContext, rebuildAll } from '../../src/recompute/index.ts';
import { openEmbeddedStore, type StoredDocument, type StorePort } from '../../src/store/index.ts';
import { applyOp, interpret, resetIds, type Op, type OpSeed } from '../recompute/random-changes.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A scratch directory, removed by the returned function. */
export function scratchDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'recalc-worker-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A random queue name: the test's BullMQ keys live under `bull:<name>`, the feed's under `<name>:`. */
export function randomQueueName(label: string): string {
  return `test-worker-${label}-${Math.random().toString(36).slice(2, 8)}${Date.now().toString(36)}`;
}

/** Removes every key of a queue name (BullMQ's, the batched layout's, the feed's) from a Redis. */
export async function cleanQueue(name: string, redisUrl = REDIS_URL): Promise<void> {
  for (const queueName of [name, `${name}-carriers`]) {
    const queue = new Queue(queueName, { connection: { url: redisUrl, maxRetriesPerRequest: 1 } });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`bull:${name}:*`, `bull:${name}-carriers:*`, `${name}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** The demo meta (`meta/`). */
export function demoMeta(dir = join(ROOT, 'meta')): MetaModel {
  return openMeta(dir);
}

/** Writes the demo documents (no cached values, not journaled) into a new store file. */
export async function createDemoStore(path: string, scale: DemoScale): Promise<number> {
  const store = openEmbeddedStore({ path });
  let count = 0;
  for (const { collection, doc } of generateDemoData(scale)) {
    await store.load(collection, [doc as StoredDocument]);
    count++;
  }
  await store.close();
  return count;
}

/** Every document of a store. */
export async function allDocuments(store: StorePort): Promise<StoredDocument[]> {
  const docs: StoredDocument[] = [];
  for (const collection of await store.listCollections()) {
    for await (const batch of store.scan(collection, null)) docs.push(...batch);
  }
  return docs;
}

/** Cached values of every object, by class/id, encoded (a missing field reads as null). */
export function cachedState(meta: MetaModel, docs: readonly StoredDocument[]): Map<string, string> {
  const state = new Map<string, string>();
  for (const doc of docs) {
    const cls = meta.repository.classes.get(doc._class as string);
    if (!cls) continue;
    const values: Record<string, unknown> = {};
    for (const t of cachedTargets(cls)) values[t.attribute] = encodeValue(doc[t.attribute] ?? null);
    state.set(`${cls.canonicalName}/${objectId(cls, doc)}`, JSON.stringify(values));
  }
  return state;
}

/**
 * Compares the store's cached values with a from-scratch rebuild of the same documents (cached
 * values removed, loaded into a fresh store). Returns the differing objects (at most 20 shown)
 * and how many objects were compared.
 */
export async function compareWithRebuild(meta: MetaModel, path: string): Promise<{ compared: number; fields: number; differences: string[] }> {
  const store = openEmbeddedStore({ path });
  const docs = await allDocuments(store);
  await store.close();
  return compareDocumentsWithRebuild(meta, docs);
}

/** {@link compareWithRebuild} for documents read from any store. */
export async function compareDocumentsWithRebuild(meta: MetaModel, docs: readonly StoredDocument[]): Promise<{ compared: number; fields: number; differences: string[] }> {
  const live = cachedState(meta, docs);
  const fresh = openEmbeddedStore();
  let fields = 0;
  for (const doc of docs) {
    const cls = meta.repository.classes.get(doc._class as string);
    if (!cls) continue;
    const plain = { ...doc };
    delete plain._id;
    for (const t of cachedTargets(cls)) {
      delete plain[t.attribute];
      fields++;
    }
    await fresh.load(cls.storage.collection, [plain]);
  }
  await rebuildAll(createRecomputeContext(meta, fresh, { keepChanges: false }));
  const rebuilt = cachedState(meta, await allDocuments(fresh));
  await fresh.close();
  const differences: string[] = [];
  for (const [key, value] of rebuilt) {
    if (live.get(key) !== value) differences.push(`${key}: worker ${live.get(key)} ≠ rebuild ${value}`);
  }
  if (live.size !== rebuilt.size) differences.push(`object counts differ: worker ${live.size}, rebuild ${rebuilt.size}`);
  return { compared: rebuilt.size, fields, differences: differences.slice(0, 20) };
}

/** The demo dataset's deterministic PRNG (mulberry32), so a failing run can be repeated with its seed. */
export const prng = random;

/**
 * Applies `count` random application changes to the store file through the store API, as an
 * application writes (journaled, one transaction per change): inserts, updates of editable
 * attributes (links, scalars, cached values overwritten) and deletes, drawn by the invariant
 * test's generator. Yields to the event loop every `pauseEvery` changes (so a test can kill the
 * worker meanwhile). Returns the changes applied.
 */
export async function applyRandomChanges(
  meta: MetaModel,
  path: string,
  count: number,
  seed: number,
  options: RandomChangeOptions = {},
): Promise<number> {
  const store = openEmbeddedStore({ path });
  try {
    return await applyRandomChangesTo(meta, store, count, seed, options);
  } finally {
    await store.close();
  }
}

/** Options of {@link applyRandomChanges}. */
export interface RandomChangeOptions {
  readonly pauseEvery?: number;
  readonly onPause?: (applied: number) => Promise<void>;
  /**
   * Never overwrite a cached value. MongoDB's feed takes an event that touches only cached fields
   * for the worker's own write (it has no journal mark), so such overwrites are not followed there.
   */
  readonly keepCachedValues?: boolean;
}

/** {@link applyRandomChanges} on an open store (left open). */
export async function applyRandomChangesTo(meta: MetaModel, store: StorePort, count: number, seed: number, options: RandomChangeOptions = {}): Promise<number> {
  const random = prng(seed);
  const nat = (n: number) => Math.floor(random() * (n + 1));
  const kinds: OpSeed['kind'][] = ['insert', 'update', 'update', 'update', 'update', 'update', 'delete'];
  resetIds();
  const docs = await allDocuments(store);
  let applied = 0;
  while (applied < count) {
    const seedOp: OpSeed = { kind: kinds[nat(kinds.length - 1)]!, pick: nat(1000), attr: nat(1000), value: nat(1000), fields: nat(1 << 16) };
    const op = interpret(meta, docs, seedOp);
    if (!op) continue;
    if (options.keepCachedValues && op.op !== 'delete') {
      const cached = new Set(cachedTargets(meta.repository.get(op.class)).map((t) => t.attribute));
      const fields = op.op === 'insert' ? op.doc : op.set;
      for (const name of Object.keys(fields)) if (cached.has(name)) delete fields[name];
      if (op.op === 'update' && Object.keys(op.set).length === 0) continue;
    }
    await applyOp(meta, store, op);
    mirror(meta, docs, op);
    applied++;
    if (options.pauseEvery && applied % options.pauseEvery === 0) await options.onPause?.(applied);
  }
  return applied;
}

/** Keeps the writer's in-memory copy in step with what it wrote (links and picks read it). */
function mirror(meta: MetaModel, docs: StoredDocument[], op: Op): void {
  if (op.op === 'insert') {
    docs.push({ ...op.doc });
    return;
  }
  const index = docs.findIndex((d) => d._class === op.class && objectId(meta.repository.get(op.class), d) === op.id);
  if (index < 0) return;
  if (op.op === 'delete') docs.splice(index, 1);
  else Object.assign(docs[index]!, op.set);
}

/** A running child process with its output kept (shown when a test fails). */
export interface Child {
  readonly process: ChildProcess;
  readonly output: () => string;
  /** Resolves with the exit code (or the signal's name) when the process ends. */
  readonly exited: Promise<number | string>;
}

/** Starts a Node child process in the repository root. */
export function startChild(args: readonly string[], env: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, [...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string>((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1)));
  return { process: child, output: () => output, exited };
}

/** `node bin/recalc.js <args>` to completion: exit code and output. */
export async function recalc(args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | string; output: string }> {
  const child = startChild(['bin/recalc.js', ...args], env);
  const code = await child.exited;
  return { code, output: child.output() };
}

/**
 * `worker.ts` with short stalled-job timings (lock 2 s, stalled check every 1 s), for the crash
 * tests: a killed worker's jobs come back in seconds instead of 45.
 */
export const SHORT_LOCK_WORKER = ['--import', 'tsx', 'worker.ts', '--lock-duration-ms', '2000', '--stalled-interval-ms', '1000'];

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

/** Stops a child with SIGTERM and waits (SIGKILL after `graceMs`). */
export async function stopChild(child: Child, graceMs = 15_000): Promise<number | string> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.exited;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  try {
    return await child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** About 500 objects of every demo class; changes hit shared products, orders and districts often. */
export const E2E_SCALE: DemoScale = { districts: 4, settlementsPerDistrict: 3, orders: 60, linesPerOrder: 5, products: 12 };

/** Waits until the worker has read the journal once (its first checkpoint is written after the start-up reconcile). */
export async function waitFeedStarted(db: string, env: Record<string, string>, child: Child): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const { output } = await recalc(['status', '--db', db, '--json'], env);
    if (JSON.parse(output.trim().split('\n').at(-1)!).feed.position !== null) return;
    if (child.process.exitCode !== null) throw new Error(`the worker exited:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the worker did not start its feed:\n${child.output()}`);
}

