/**
 * The worker's Prometheus metrics. The queue and the feed report through their observer
 * interfaces; job counts and the feed's head are read at scrape time, so they are never stale.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FeedObserver } from '../feed/feed-sink.ts';
import type { QueueObserver } from '../queue/observer.ts';
import type { QueueCounts } from '../queue/recompute-queue.ts';

/** Sources read at scrape time. */
export interface MetricSources {
  /** The queue's counts by state. */
  readonly counts?: () => Promise<QueueCounts>;
  /** The newest position of the change source (the journal's head sequence), when it has one. */
  readonly feedHead?: () => Promise<number>;
}

/** The metrics of one worker process. */
export interface WorkerMetrics {
  /** The registry `/metrics` serves. */
  readonly registry: Registry;
  /** Hand to the queue's `observer` option. */
  readonly queueObserver: QueueObserver;
  /** Hand to the feed sink's `observer`. */
  readonly feedObserver: FeedObserver;
  /** Sets (or replaces) the scrape-time sources. */
  setSources(sources: MetricSources): void;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Also export Node's process metrics (default true). */
  readonly processMetrics?: boolean;
  /** Metric name prefix (default `recalc_`). */
  readonly prefix?: string;
}

/** Creates the metrics on a fresh registry. */
export function createMetrics(options: MetricsOptions = {}): WorkerMetrics {
  const registry = new Registry();
  const p = options.prefix ?? 'recalc_';
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: p });
  let sources: MetricSources = {};
  const registers = [registry];

  const changes = new Counter({ name: `${p}changes_seen_total`, help: 'Application changes read from the feed', labelNames: ['source'], registers });
  const ownWrites = new Counter({ name: `${p}own_writes_dropped_total`, help: 'Feed events dropped because they touched only computed fields', registers });
  const enqueued = new Counter({ name: `${p}jobs_enqueued_total`, help: 'Objects handed to the queue (before deduplication)', labelNames: ['reason'], registers });
  const failed = new Counter({ name: `${p}jobs_failed_total`, help: 'Failed object recomputes; final="true" when kept failed', labelNames: ['final'], registers });
  const duration = new Histogram({
    name: `${p}recompute_duration_seconds`,
    help: 'Duration of one recompute batch',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    labelNames: ['outcome'],
    registers,
  });
  const batchSize = new Histogram({ name: `${p}batch_size`, help: 'Objects per recompute batch', buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000], registers });
  const cascade = new Histogram({ name: `${p}cascade_size`, help: 'Dependants queued by one batch', buckets: [0, 1, 2, 5, 10, 25, 50, 100, 250, 1000, 5000], registers });
  const lag = new Histogram({
    name: `${p}change_lag_seconds`,
    help: 'Time from a change to its recompute being written',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers,
  });
  const position = new Gauge({ name: `${p}feed_position`, help: 'Checkpointed feed position (journal sequence, or change time in seconds)', registers });
  new Gauge({
    name: `${p}feed_head`,
    help: 'Newest position of the change source (journal head sequence)',
    registers,
    async collect() {
      if (sources.feedHead) this.set(await sources.feedHead());
    },
  });
  new Gauge({
    name: `${p}jobs`,
    help: 'Jobs by state',
    labelNames: ['state'],
    registers,
    async collect() {
      if (!sources.counts) return;
      const counts = await sources.counts();
      for (const [state, value] of Object.entries(counts)) this.set({ state }, value);
    },
  });

  return {
    registry,
    setSources(next) {
      sources = next;
    },
    queueObserver: {
      enqueued: (count, reason) => enqueued.inc({ reason }, count),
      batch(report) {
        duration.observe({ outcome: report.error ? 'error' : 'ok' }, report.durationMs / 1000);
        if (report.error) return;
        batchSize.observe(report.refs.length);
        cascade.observe(report.cascade);
        const now = Date.now();
        for (const at of report.queuedAt ?? []) lag.observe(Math.max(0, now - at) / 1000);
      },
      failed: (report) => failed.inc({ final: String(report.final) }),
    },
    feedObserver: {
      changes: (count, source) => changes.inc({ source }, count),
      ownWrites: (count) => ownWrites.inc(count),
      position: (value) => position.set(value),
    },
  };
}
