/**
 * The application of the latency run and the soak, in a process of its own (as an application
 * is): it opens the store file, writes the planned changes (changes.ts) one journaled
 * `store.update` each, `rate` a second on a fixed schedule, and reports each commit time to the
 * parent over IPC. Usage (forked): writer.ts <store file> <changes> <rate> [wal_autocheckpoint pages].
 */
import { openEmbeddedStore } from '../../src/store/index.ts';
import { ChangePlan, epochNow, readChangeModel } from './changes.ts';

/** Messages to the parent. */
export type WriterMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'commits'; readonly from: number; readonly times: readonly number[] }
  | { readonly kind: 'done'; readonly seconds: number; readonly maxBehindMs: number; readonly slowCommits: number; readonly maxCommitMs: number };

/** A commit this long counts as slow (a lock wait, a checkpoint, no core to run on). */
export const SLOW_COMMIT_MS = 40;

const [path, countText, rateText, walText] = process.argv.slice(2);
const count = Number(countText);
const rate = Number(rateText);
if (!path || !(count > 0) || !(rate > 0)) throw new Error('usage: writer.ts <store file> <changes> <rate>');

/** Sends to the parent; a parent gone (killed, failed, interrupted) ends the writer quietly. */
const send = (message: WriterMessage): Promise<void> =>
  new Promise((resolve) => {
    if (!process.connected) process.exit(1);
    process.send!(message, undefined, {}, (error) => (error ? process.exit(1) : resolve()));
  });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The parent gone (killed, failed): stop writing.
process.once('disconnect', () => process.exit(1));

const store = openEmbeddedStore({ path });
if (walText) store.database.pragma(`wal_autocheckpoint = ${Number(walText)}`);
try {
  const plan = new ChangePlan(await readChangeModel(store));
  await send({ kind: 'ready' });
  const start = performance.now();
  let sent = 0;
  let reported = 0;
  let times: number[] = [];
  let lastReport = start;
  let maxBehind = 0;
  let maxCommit = 0;
  let slowCommits = 0;
  while (sent < count) {
    const now = performance.now();
    const due = Math.min(count, Math.floor(((now - start) * rate) / 1000) + 1);
    if (due - sent > 1) maxBehind = Math.max(maxBehind, ((due - 1 - sent) * 1000) / rate);
    while (sent < due) {
      const change = plan.next();
      const began = performance.now();
      await store.update('demo_orderLine', [{ id: change.lineId, match: { id: change.lineId }, set: { qty: change.qty } }]);
      times.push(epochNow());
      const took = performance.now() - began;
      maxCommit = Math.max(maxCommit, took);
      if (took >= SLOW_COMMIT_MS) slowCommits += 1;
      sent += 1;
    }
    if (performance.now() - lastReport >= 20 || sent === count) {
      await send({ kind: 'commits', from: reported, times });
      reported += times.length;
      times = [];
      lastReport = performance.now();
    }
    await sleep(1);
  }
  await send({ kind: 'done', seconds: (performance.now() - start) / 1000, maxBehindMs: maxBehind, slowCommits, maxCommitMs: maxCommit });
} finally {
  await store.close();
  process.removeAllListeners('disconnect');
  process.disconnect?.();
}
