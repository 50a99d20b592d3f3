/**
 * One layout's worker, wired as the live worker wires it (docs/worker.md): an embedded store
 * file with the demo data, the recompute context, the queue of the layout on real Redis with the
 * engine adapters of `src/worker/engine-adapters.ts` (processor, change router, computed fields,
 * class pager), and the journal feed. The store the engine writes through reports each committed
 * write, for the latency measurement.
 */
import { join } from 'node:path';
import type { MetaModel } from '../../src/meta/index.ts';
import { createJournalFeed, type JournalFeed } from '../../src/feed/index.ts';
import type { BatchReport, RecomputeQueue } from '../../src/queue/index.ts';
import { createRecomputeContext, type RecomputeContext } from '../../src/recompute/index.ts';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/index.ts';
import { changeRouter, classPager, computedFields, recomputeProcessor } from '../../src/worker/engine-adapters.ts';
import { loadDemoData, type LoadedData } from '../recompute/dataset.ts';
import { createQueue, obliterateQueue, type Layout } from './redis.ts';
import { watchWrites, type WatchedStore, type WriteListener } from './written-store.ts';

export interface RigOptions {
  readonly meta: MetaModel;
  readonly layout: Layout;
  /** Temp directory of the run (the store file goes there). */
  readonly dir: string;
  readonly prefix: string;
  readonly objects: number;
  readonly batchSize: number;
  readonly concurrency: number;
  /** Journal feed poll interval in ms (the feed's default when undefined). */
  readonly feedPollMs?: number;
  /** SQLite `wal_autocheckpoint` (pages) for the worker's and the writer's connections; the store's own setting when undefined. */
  readonly walAutocheckpoint?: number;
}

/** Objects the queue handed to the processor, counted per processor call. */
export interface Processed {
  objects: number;
  batches: number;
  failedBatches: number;
  /** `performance.now()` and the running object count after each call. */
  readonly timeline: { at: number; objects: number }[];
  keepTimeline: boolean;
}

export class Rig {
  readonly store: EmbeddedStore;
  /** The store file (the application's writer process opens it too). */
  readonly path: string;
  /** The store as the worker uses it (engine and feed): writes reported, slow calls counted. */
  readonly watched: WatchedStore;
  readonly ctx: RecomputeContext;
  readonly queue: RecomputeQueue;
  readonly name: string;
  readonly processed: Processed = { objects: 0, batches: 0, failedBatches: 0, timeline: [], keepTimeline: false };
  /** The current write listener (the latency measurement sets it). */
  onWrite: WriteListener | null = null;
  data: LoadedData | null = null;
  private feed: JournalFeed | null = null;
  private following: Promise<void> | null = null;

  constructor(readonly options: RigOptions) {
    this.path = join(options.dir, `${options.layout}.sqlite`);
    this.store = openEmbeddedStore({ path: this.path });
    if (options.walAutocheckpoint !== undefined) this.store.database.pragma(`wal_autocheckpoint = ${options.walAutocheckpoint}`);
    this.watched = watchWrites(this.store, (collection, updates, at) => this.onWrite?.(collection, updates, at));
    // The worker's context (start-worker.ts): journaled writes (the journal feed drops them as
    // computed), engine batches of the queue's batch size, change records not kept.
    this.ctx = createRecomputeContext(options.meta, this.watched, { batchSize: options.batchSize, keepChanges: false });
    this.name = `pipeline-${options.layout}`;
    this.queue = createQueue({
      prefix: options.prefix,
      name: this.name,
      layout: options.layout,
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      observer: { batch: (report) => this.count(report) },
    });
  }

  /** Loads the demo data (unjournaled, no cached values yet) and starts the queue's workers. */
  async start(): Promise<LoadedData> {
    this.data = await loadDemoData(this.store, this.options.meta, this.options.objects);
    await this.queue.start({ recompute: recomputeProcessor(this.ctx), pageClass: classPager(this.ctx) });
    return this.data;
  }

  /** Follows the journal from its head (the data loaded before is not journaled). */
  async startFeed(): Promise<void> {
    await this.store.setCheckpoint('feed', String(await this.store.headSequence()));
    this.feed = createJournalFeed({
      store: this.watched,
      sink: {
        queue: this.queue,
        reconcile: async () => undefined,
        route: changeRouter(this.ctx, { oldValuesKnown: true }),
      },
      computed: computedFields(this.options.meta),
      ...(this.options.feedPollMs !== undefined ? { pollMs: this.options.feedPollMs } : {}),
    });
    this.following = this.feed.run();
  }

  /** The feed's checkpointed journal sequence (`null` when not following). */
  feedPosition(): number | null {
    return this.feed?.position() ?? null;
  }

  async stopFeed(): Promise<void> {
    await this.feed?.stop();
    await this.following;
    this.feed = null;
    this.following = null;
  }

  /** Stops everything and removes the queue from Redis; safe to call after a failure. */
  async close(): Promise<void> {
    try {
      await this.stopFeed();
    } finally {
      try {
        await this.queue.close();
      } finally {
        try {
          await obliterateQueue(this.options.prefix, this.name, this.options.layout);
        } finally {
          await this.store.close();
        }
      }
    }
  }

  private count(report: BatchReport): void {
    if (report.error) {
      this.processed.failedBatches += 1;
      return;
    }
    this.processed.objects += report.refs.length;
    this.processed.batches += 1;
    if (this.processed.keepTimeline) this.processed.timeline.push({ at: performance.now(), objects: this.processed.objects });
  }
}
