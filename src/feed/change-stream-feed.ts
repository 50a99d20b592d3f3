/**
 * The MongoDB feed loop: pulls change events, delivers them in batches, and saves the resume
 * token only after the batch's jobs are queued (and periodically while idle, from the stream's
 * post-batch token, so a quiet stream does not fall out of the oplog window).
 *
 * It is written against {@link ChangeStreamLike}, the few members of the driver's `ChangeStream`
 * it uses, so its logic is tested with a scripted stream; open-change-stream.ts opens the real one.
 *
 * Recovery: with no saved token, or when the server says the token's history is gone
 * (`ChangeStreamHistoryLost`), the feed opens a fresh stream, reconciles once (rebuilds the
 * watched classes) and goes on from there — it never loops retrying a lost token. Other errors
 * are retried with backoff a bounded number of times, then thrown to the caller.
 */
import type { ChangeStreamDocument, ResumeToken } from 'mongodb';
import { BSON } from 'mongodb';
import type { Logger } from 'pino';
import { silentLogger } from '../log/logger.ts';
import { sleep } from './sleep.ts';
import type { CheckpointStore } from './checkpoint.ts';
import type { FeedEvent } from './feed-event.ts';
import { deliver, type FeedSink, type ReconcileReason } from './feed-sink.ts';

/** The members of the driver's `ChangeStream` the feed uses. */
export interface ChangeStreamLike {
  /** The next event, or `null` when none arrived within the server's await time. */
  tryNext(): Promise<ChangeStreamDocument | null>;
  /** The token to resume after everything returned so far (the post-batch token when idle). */
  readonly resumeToken: ResumeToken;
  close(): Promise<void>;
}

/** Opens a stream: after a token, or from now when `startAfter` is undefined. */
export type OpenChangeStream = (startAfter: ResumeToken | undefined) => ChangeStreamLike;

/** Options of {@link ChangeStreamFeed}. */
export interface ChangeStreamFeedOptions {
  readonly open: OpenChangeStream;
  readonly checkpoint: CheckpointStore;
  readonly sink: FeedSink;
  /** Change event → feed event (`null`: ignored), see translate-change.ts. */
  readonly translate: (change: ChangeStreamDocument) => FeedEvent | null;
  /** Most events per delivered batch (default 500). */
  readonly maxBatch?: number;
  /** Save the token at least this often while idle, in ms (default 10000). */
  readonly idleCheckpointMs?: number;
  /** Consecutive failures before giving up (default 5). */
  readonly maxRetries?: number;
  /** First retry delay, doubled each time, in ms (default 1000). */
  readonly retryDelayMs?: number;
  readonly logger?: Logger;
}

/**
 * Server error codes meaning "this resume token can never be used": the resume point is gone from
 * the oplog (286; 280 on servers before 4.4), or the stored token is not one the server accepts
 * (260, e.g. a checkpoint written against another deployment) — retrying could only fail again,
 * and would stop the worker on every restart.
 */
const HISTORY_LOST_CODES = new Set([
  286 /* ChangeStreamHistoryLost */,
  280 /* ChangeStreamFatalError */,
  260 /* InvalidResumeToken */,
]);

/** True for the errors after which a resume token can never be used again. */
export function isHistoryLost(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, codeName } = error as { code?: unknown; codeName?: unknown };
  return codeName === 'ChangeStreamHistoryLost' || codeName === 'InvalidResumeToken' || (typeof code === 'number' && HISTORY_LOST_CODES.has(code));
}

/** Serialises a resume token for a checkpoint (Extended JSON keeps BSON types exact). */
export function serializeToken(token: ResumeToken): string {
  return BSON.EJSON.stringify(token as BSON.Document, { relaxed: false });
}

/** The inverse of {@link serializeToken}. */
export function parseToken(text: string): ResumeToken {
  return BSON.EJSON.parse(text, { relaxed: false });
}

/** Follows a MongoDB change stream into the queue. */
export class ChangeStreamFeed {
  private readonly log: Logger;
  private stream: ChangeStreamLike | null = null;
  /** Why the next stream opened without a token reconciles. */
  private pendingReason: ReconcileReason = { kind: 'no-checkpoint' };
  /** The current stream was opened without a token (a history loss there cannot be fixed by reconciling). */
  private fresh = false;

  constructor(private readonly options: ChangeStreamFeedOptions) {
    this.log = options.logger ?? silentLogger;
  }

  /** Runs until `signal` aborts (then delivers what it holds, checkpoints, closes) or a failure persists. */
  async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.follow(signal);
        failures = 0;
      } catch (error) {
        await this.closeStream();
        if (isHistoryLost(error) && this.fresh) throw error;
        if (isHistoryLost(error)) {
          // The token points before the oplog's start: resuming can never work. Forget it; the
          // next round opens a fresh stream and reconciles once.
          this.log.warn({ err: error }, 'change stream history lost: reconciling and following from now');
          await this.options.checkpoint.clear();
          this.pendingReason = { kind: 'history-lost' };
          continue;
        }
        failures += 1;
        if (failures > (this.options.maxRetries ?? 5)) throw error;
        const delay = (this.options.retryDelayMs ?? 1000) * 2 ** (failures - 1);
        this.log.error({ err: error, attempt: failures, delayMs: delay }, 'change stream failed; retrying');
        await sleep(delay, signal);
      }
    }
  }

  /** One stream's life: open (or reconcile), pull, deliver, checkpoint; returns when aborted or invalidated. */
  private async follow(signal: AbortSignal): Promise<void> {
    const saved = await this.options.checkpoint.load();
    const stream = this.options.open(saved === null ? undefined : parseToken(saved));
    this.stream = stream;
    this.fresh = saved === null;
    const buffer: ChangeStreamDocument[] = [];
    let lastToken: ResumeToken | undefined;
    if (saved === null) {
      // The stream is opened first and its first answer taken, so changes made during the
      // rebuild are in the stream (seen twice at worst, never missed).
      const first = await stream.tryNext();
      if (first) buffer.push(first);
      const reason = this.pendingReason;
      this.pendingReason = { kind: 'no-checkpoint' };
      this.log.warn({ reason: reason.kind }, 'no usable resume token: reconciling every watched class, then following from now');
      await this.reconcile(reason);
      const position = first ? first._id : stream.resumeToken;
      // The driver knows the post-batch token once the first answer came; older servers may not send one.
      if (position !== undefined && position !== null) await this.save(position);
    }
    let lastSave = Date.now();
    const maxBatch = this.options.maxBatch ?? 500;
    while (!signal.aborted) {
      const change = await stream.tryNext();
      if (change) {
        if (change.operationType === 'invalidate') {
          await this.flush(buffer, lastToken);
          this.log.warn('change stream invalidated: reconciling and following from now');
          await this.options.checkpoint.clear();
          this.pendingReason = { kind: 'invalidate' };
          await this.closeStream();
          return;
        }
        buffer.push(change);
        lastToken = change._id;
        if (buffer.length >= maxBatch) {
          await this.flush(buffer, lastToken);
          lastSave = Date.now();
        }
      } else if (buffer.length > 0) {
        await this.flush(buffer, lastToken);
        lastSave = Date.now();
      } else if (Date.now() - lastSave >= (this.options.idleCheckpointMs ?? 10_000) && stream.resumeToken) {
        await this.save(stream.resumeToken);
        lastSave = Date.now();
      }
    }
    await this.flush(buffer, lastToken);
    await this.closeStream();
  }

  private async flush(buffer: ChangeStreamDocument[], token: ResumeToken | undefined): Promise<void> {
    if (buffer.length === 0) return;
    const events: FeedEvent[] = [];
    let own = 0;
    for (const change of buffer.splice(0)) {
      const event = this.options.translate(change);
      if (event) events.push(event);
      else own += 1;
    }
    if (own > 0) this.options.sink.observer?.ownWrites?.(own);
    await deliver(this.options.sink, events, 'mongodb');
    if (token !== undefined) await this.save(token);
    const last = events.at(-1);
    if (last) this.options.sink.observer?.position?.(Math.floor(last.time / 1000));
  }

  private async reconcile(reason: ReconcileReason): Promise<void> {
    await this.options.sink.reconcile(reason);
    if (!this.options.sink.queue.durable) await this.options.sink.queue.idle();
  }

  private async save(token: ResumeToken): Promise<void> {
    await this.options.checkpoint.save(serializeToken(token));
  }

  private async closeStream(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    await stream?.close().catch(() => undefined);
  }
}
