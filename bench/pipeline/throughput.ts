/**
 * Sustained throughput through BullMQ: every object with cached values of a freshly loaded store
 * (no cached values yet, so each recompute writes) is queued in chunks of 1,000 — as a class
 * refresh pages them — while the workers run, until the queue is idle. Objects/s counts what the
 * queue handed to the engine (cascade re-runs included: an order recomputed before its lines runs
 * again when their amounts are written). Afterwards a from-scratch rebuild must find nothing to
 * change: every value the pipeline wrote is right.
 */
import { createRecomputeContext, hasTargets, rebuildAll } from '../../src/recompute/index.ts';
import { docId } from '../../src/recompute/keys.ts';
import type { ObjectRef } from '../../src/queue/index.ts';
import { redisCpuSeconds } from './redis.ts';
import type { Rig } from './rig.ts';

export interface ThroughputFigures {
  /** Distinct objects queued. */
  readonly queued: number;
  /** Objects handed to the processor (with cascade re-runs). */
  readonly processed: number;
  readonly batches: number;
  readonly failedBatches: number;
  /** From the first enqueue to the end of the last processor call. */
  readonly seconds: number;
  /** Time the producer spent in `enqueue`. */
  readonly enqueueSeconds: number;
  /** processed / seconds. */
  readonly rate: number;
  /** Rate between 10 % and 90 % of the processed objects (start-up and tail left out). */
  readonly sustainedRate: number;
  /** Values a from-scratch rebuild still changed afterwards (0 = correct). */
  readonly rebuildChanged: number;
  readonly rebuildErrors: number;
  readonly failedObjects: number;
  /** CPU of the worker's process (engine, queue client, store) during the run, in cores. */
  readonly workerCores: number;
  /** CPU of the Redis server during the run, in cores (other clients of the server included), or null. */
  readonly redisCores: number | null;
}

/** Every object with cached values, as the queue names it (class as stored, ION id). */
export async function allComputedRefs(rig: Rig): Promise<ObjectRef[]> {
  const refs: ObjectRef[] = [];
  for (const cls of rig.ctx.meta.repository.classes.values()) {
    if (!hasTargets(cls)) continue;
    for await (const docs of rig.store.scan(cls.storage.collection, [cls.canonicalName], { batchSize: 5000 })) {
      for (const doc of docs) refs.push({ className: cls.canonicalName, id: docId(cls, doc) });
    }
  }
  return refs;
}

export async function measureThroughput(rig: Rig, chunk = 1000): Promise<ThroughputFigures> {
  const refs = await allComputedRefs(rig);
  const processed = rig.processed;
  processed.objects = 0;
  processed.batches = 0;
  processed.failedBatches = 0;
  processed.timeline.length = 0;
  processed.keepTimeline = true;

  const redisStart = await redisCpuSeconds();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let enqueueMs = 0;
  for (let at = 0; at < refs.length; at += chunk) {
    const t = performance.now();
    await rig.queue.enqueue(refs.slice(at, at + chunk), { reason: 'refresh' });
    enqueueMs += performance.now() - t;
  }
  await rig.queue.idle({ pollMs: 50 });
  processed.keepTimeline = false;
  const end = processed.timeline.at(-1)?.at ?? performance.now();
  const seconds = (end - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const redisEnd = await redisCpuSeconds();
  const wall = (performance.now() - start) / 1000;

  const total = processed.objects;
  const from = processed.timeline.find((p) => p.objects >= total * 0.1);
  const to = processed.timeline.find((p) => p.objects >= total * 0.9);
  const sustainedRate = from && to && to.at > from.at ? ((to.objects - from.objects) * 1000) / (to.at - from.at) : total / seconds;

  const counts = await rig.queue.counts();
  // The check: a rebuild on the raw store (unjournaled) finds every value already right.
  const check = await rebuildAll(createRecomputeContext(rig.ctx.meta, rig.store, { journal: false, keepChanges: false }));
  return {
    queued: refs.length,
    processed: total,
    batches: processed.batches,
    failedBatches: processed.failedBatches,
    seconds,
    enqueueSeconds: enqueueMs / 1000,
    rate: total / seconds,
    sustainedRate,
    rebuildChanged: check.changedCount ?? check.changedFields.length,
    rebuildErrors: check.errors.length,
    failedObjects: counts.failed,
    workerCores: (cpu.user + cpu.system) / 1e6 / wall,
    redisCores: redisStart === null || redisEnd === null ? null : (redisEnd - redisStart) / wall,
  };
}
