/**
 * Change → written value at a steady rate. The application is a process of its own (writer.ts)
 * writing one journaled `store.update` per change (an order line's `qty`), `rate` a second on a
 * fixed schedule, into the worker's store file; it reports each commit time. Here the worker runs:
 * the journal feed routes each change through the engine (the line and its order), the queue runs
 * the recomputes, and the store wrapper reports each committed write. Per change, two latencies
 * from its commit:
 * - `orderLine.amount` written — the changed object's own cached value;
 * - `order.total` written with the value that includes the change — the dependent object's value.
 * A write counts only when it holds the value the change must produce (changes.ts computes it
 * from the data, independently of the engine).
 *
 * The same run, minutes long, is the soak: this process's memory (the worker's; the writer is
 * another process) is sampled every second and reported, with the minute's latencies, every minute.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BulkUpdate } from '../../src/store/index.ts';
import { ChangePlan, readChangeModel } from './changes.ts';
import type { Rig } from './rig.ts';
import type { WriterMessage } from './writer.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** One minute of a steady run. */
export interface MinuteReport {
  readonly minute: number;
  /** Changes committed by the writer that minute. */
  readonly changes: number;
  readonly rssMiB: number;
  readonly peakRssMiB: number;
  readonly heapUsedMiB: number;
  readonly peakHeapMiB: number;
  /** `order.total` latencies of the changes resolved that minute. */
  readonly p50: number;
  readonly p99: number;
  /** At the minute's end: journal rows the feed has not read yet, and objects waiting in the queue. */
  readonly feedBehind: number;
  readonly queueWaiting: number;
}

export interface SteadyFigures {
  readonly changes: number;
  /** How long the writer wrote. */
  readonly seconds: number;
  /** Changes committed / seconds of writing. */
  readonly achievedRate: number;
  /** The most the writer fell behind its schedule. */
  readonly maxBehindMs: number;
  /** The writer's commits that took 40 ms or more, and its longest. */
  readonly slowCommits: number;
  readonly maxCommitMs: number;
  /** The worker's store calls that took 40 ms or more, by method. */
  readonly slowCalls: string;
  /** Latencies in ms, sorted. */
  readonly amount: Float64Array;
  readonly total: Float64Array;
  /** Changes whose value was not seen written (within the drain time after the run). */
  readonly amountMissed: number;
  readonly totalMissed: number;
  readonly minutes: readonly MinuteReport[];
  /** Peak RSS of this process during the run. */
  readonly peakRssMiB: number;
  /** Where the time went in this (the worker's) process: CPU used, in cores (1 = one core busy). */
  readonly workerCores: number;
  /** Seconds the worker's main thread was runnable but waiting for a core (Linux), or null. */
  readonly cpuWaitSeconds: number | null;
  /** Event-loop delay of the worker's process (ms): p99 and max. */
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
}

/** Run-queue wait of this process's main thread so far, in seconds (Linux), or null. */
function runQueueWait(): number | null {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e9;
  } catch {
    return null;
  }
}

export interface SteadyOptions {
  readonly rate: number;
  readonly seconds: number;
  /** Called after each full minute (the soak prints it). */
  readonly onMinute?: (report: MinuteReport) => void;
  /** How long to wait for the last values after the writer stops (default 30 s). */
  readonly drainMs?: number;
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 2 ** 20;
/** Changes registered ahead of the last reported commit (a write can be seen before its commit report). */
const AHEAD = 5000;
const close = (a: unknown, b: number): boolean => typeof a === 'number' && Math.abs(a - b) < 0.004;

function latencies(done: Float64Array, commits: Float64Array): { sorted: Float64Array; missed: number } {
  const out: number[] = [];
  let missed = 0;
  for (let i = 0; i < done.length; i++) {
    if (Number.isNaN(done[i]!) || Number.isNaN(commits[i]!)) missed += 1;
    else out.push(done[i]! - commits[i]!);
  }
  return { sorted: Float64Array.from(out).sort(), missed };
}

export async function runSteady(rig: Rig, options: SteadyOptions): Promise<SteadyFigures> {
  const total = Math.round(options.rate * options.seconds);
  const plan = new ChangePlan(await readChangeModel(rig.store));
  // Epoch ms per change: its commit (from the writer), its amount and its total written (here).
  const commitAt = new Float64Array(total).fill(NaN);
  const amountAt = new Float64Array(total).fill(NaN);
  const totalAt = new Float64Array(total).fill(NaN);
  const pendingAmount = new Map<string, { index: number; expected: number }>();
  const pendingTotal = new Map<string, { index: number; expected: number }[]>();
  let registered = 0;
  const register = (upTo: number) => {
    for (; registered < Math.min(upTo, total); registered++) {
      const change = plan.next();
      pendingAmount.set(change.lineId, { index: change.index, expected: change.amount });
      const entry = { index: change.index, expected: change.total };
      const list = pendingTotal.get(change.orderId);
      if (list) list.push(entry);
      else pendingTotal.set(change.orderId, [entry]);
    }
  };
  register(AHEAD);
  let resolvedThisMinute: number[] = [];

  rig.onWrite = (collection: string, updates: readonly BulkUpdate[], at: number) => {
    const when = performance.timeOrigin + at;
    if (collection === 'demo_orderLine') {
      for (const update of updates) {
        const id = update.id ?? '';
        const pending = pendingAmount.get(id);
        if (pending && close(update.set?.amount, pending.expected)) {
          pendingAmount.delete(id);
          amountAt[pending.index] = when;
        }
      }
    } else if (collection === 'demo_order') {
      for (const update of updates) {
        const id = update.id ?? '';
        const list = pendingTotal.get(id);
        if (!list || update.set?.total === undefined) continue;
        // The written total answers the change it matches and every older one of the order.
        let hit = list.length - 1;
        while (hit >= 0 && !close(update.set.total, list[hit]!.expected)) hit -= 1;
        if (hit < 0) continue;
        for (const p of list.splice(0, hit + 1)) {
          totalAt[p.index] = when;
          resolvedThisMinute.push(p.index);
        }
        if (list.length === 0) pendingTotal.delete(id);
      }
    }
  };

  // Memory, sampled every second; reported every minute.
  let peakRss = 0;
  let minutePeakRss = 0;
  let minutePeakHeap = 0;
  let committed = 0;
  let minuteStartCommitted = 0;
  const minutes: MinuteReport[] = [];
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    minutePeakRss = Math.max(minutePeakRss, usage.rss);
    minutePeakHeap = Math.max(minutePeakHeap, usage.heapUsed);
  }, 1000);
  const minuteTimer = options.onMinute
    ? setInterval(async () => {
        const [head, counts] = await Promise.all([rig.store.headSequence(), rig.queue.counts()]);
        const values: number[] = [];
        for (const i of resolvedThisMinute) if (!Number.isNaN(commitAt[i]!)) values.push(totalAt[i]! - commitAt[i]!);
        const sorted = Float64Array.from(values).sort();
        const usage = process.memoryUsage();
        const report: MinuteReport = {
          minute: minutes.length + 1,
          changes: committed - minuteStartCommitted,
          rssMiB: usage.rss / MiB,
          peakRssMiB: Math.max(minutePeakRss, usage.rss) / MiB,
          heapUsedMiB: usage.heapUsed / MiB,
          peakHeapMiB: Math.max(minutePeakHeap, usage.heapUsed) / MiB,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          feedBehind: Math.max(0, head - (rig.feedPosition() ?? head)),
          queueWaiting: counts.waiting,
        };
        minutes.push(report);
        options.onMinute!(report);
        resolvedThisMinute = [];
        minutePeakRss = 0;
        minutePeakHeap = 0;
        minuteStartCommitted = committed;
      }, 60_000)
    : null;

  rig.watched.slowCalls.clear();
  await rig.startFeed();
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const cpuStart = process.cpuUsage();
  const waitStart = runQueueWait();
  const wallStart = performance.now();
  let writer: ChildProcess | null = null;
  try {
    writer = fork(join(here, 'writer.ts'), [rig.path, String(total), String(options.rate), ...(rig.options.walAutocheckpoint !== undefined ? [String(rig.options.walAutocheckpoint)] : [])], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    type Done = Extract<WriterMessage, { kind: 'done' }>;
    const finished = new Promise<Done>((resolve, reject) => {
      let done: Done | null = null;
      writer!.on('message', (message: WriterMessage) => {
        if (message.kind === 'commits') {
          message.times.forEach((t, k) => (commitAt[message.from + k] = t));
          committed = message.from + message.times.length;
          register(committed + AHEAD);
        } else if (message.kind === 'done') {
          done = message;
        }
      });
      writer!.on('error', reject);
      writer!.on('exit', (code) => (done && code === 0 ? resolve(done) : reject(new Error(`the writer process exited with ${code}`))));
    });
    const writing = await finished;
    const drainUntil = performance.now() + (options.drainMs ?? 30_000);
    while ((pendingAmount.size > 0 || pendingTotal.size > 0) && performance.now() < drainUntil) await sleep(20);
    loop.disable();
    const cpu = process.cpuUsage(cpuStart);
    const waitEnd = runQueueWait();
    const wall = (performance.now() - wallStart) / 1000;
    const amount = latencies(amountAt, commitAt);
    const totals = latencies(totalAt, commitAt);
    return {
      changes: committed,
      seconds: writing.seconds,
      achievedRate: committed / writing.seconds,
      maxBehindMs: writing.maxBehindMs,
      slowCommits: writing.slowCommits,
      maxCommitMs: writing.maxCommitMs,
      slowCalls: [...rig.watched.slowCalls].map(([m, c]) => `${m} ${c.count} (max ${c.maxMs.toFixed(0)} ms)`).join(', ') || 'none',
      amount: amount.sorted,
      total: totals.sorted,
      amountMissed: amount.missed,
      totalMissed: totals.missed,
      minutes,
      peakRssMiB: Math.max(peakRss, process.memoryUsage().rss) / MiB,
      workerCores: (cpu.user + cpu.system) / 1e6 / wall,
      cpuWaitSeconds: waitStart === null || waitEnd === null ? null : waitEnd - waitStart,
      loopDelayP99Ms: loop.percentile(99) / 1e6,
      loopDelayMaxMs: loop.max / 1e6,
    };
  } finally {
    if (writer && writer.exitCode === null) writer.kill();
    clearInterval(sampler);
    if (minuteTimer) clearInterval(minuteTimer);
    rig.onWrite = null;
    await rig.stopFeed();
  }
}
