/** The MongoDB feed loop against a scripted stream (no MongoDB on these machines). */
import { Binary, ObjectId, Timestamp, type ChangeStreamDocument } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { ChangeStreamFeed, isHistoryLost, parseToken, serializeToken, type ChangeStreamLike } from '../../src/feed/change-stream-feed.ts';
import type { CheckpointStore } from '../../src/feed/checkpoint.ts';
import type { FeedSink, ReconcileReason } from '../../src/feed/feed-sink.ts';
import { identifyByKeys } from '../../src/feed/identify.ts';
import { changeStreamOptions, changeStreamPipeline } from '../../src/feed/open-change-stream.ts';
import { translateChange } from '../../src/feed/translate-change.ts';
import type { ObjectRef } from '../../src/queue/index.ts';

const translate = (change: ChangeStreamDocument) =>
  translateChange(change, { identify: identifyByKeys(() => ['code']), computed: new Set(['total']) });

const token = (n: number) => ({ _data: `82${String(n).padStart(6, '0')}` });

const collectionUUID = new Binary(Buffer.alloc(16), 4);

function insert(n: number): ChangeStreamDocument {
  return {
    _id: token(n), operationType: 'insert', collectionUUID, clusterTime: new Timestamp({ t: 1_700_000_000 + n, i: 1 }),
    ns: { db: 'ion', coll: 'office' }, documentKey: { _id: new ObjectId() },
    fullDocument: { _class: 'Office', code: String(n) },
  };
}

function ownWrite(n: number): ChangeStreamDocument {
  return {
    _id: token(n), operationType: 'update', collectionUUID, ns: { db: 'ion', coll: 'office' }, documentKey: { _id: new ObjectId() },
    updateDescription: { updatedFields: { total: 3 }, removedFields: [] }, fullDocument: { _class: 'Office', code: String(n) },
  };
}

class ServerError extends Error {
  constructor(readonly code: number, readonly codeName: string) {
    super(codeName);
  }
}

type Step = ChangeStreamDocument | null | Error;

/** A stream that plays its steps, then answers `null` (after a short wait, like maxAwaitTimeMS). */
class ScriptedStream implements ChangeStreamLike {
  resumeToken: unknown;
  closed = false;
  constructor(private readonly steps: Step[], readonly startAfter: unknown, private readonly idleToken: unknown) {
    this.resumeToken = startAfter ?? idleToken;
  }
  async tryNext(): Promise<ChangeStreamDocument | null> {
    const step = this.steps.shift();
    if (step instanceof Error) throw step;
    if (step) {
      this.resumeToken = step._id;
      return step;
    }
    await new Promise((r) => setTimeout(r, 2));
    if (this.steps.length === 0) this.resumeToken = this.idleToken;
    return null;
  }
  async close() {
    this.closed = true;
  }
}

function memoryCheckpoint(initial: string | null = null): CheckpointStore & { value: string | null; saves: string[] } {
  const store = {
    value: initial,
    saves: [] as string[],
    load: async () => store.value,
    save: async (value: string) => void (store.value = value, store.saves.push(value)),
    clear: async () => void (store.value = null),
  };
  return store;
}

function sink(checkpoint: { value: string | null }) {
  const enqueued: { refs: ObjectRef[]; checkpointBefore: string | null }[] = [];
  const reconciled: ReconcileReason[] = [];
  const value: FeedSink = {
    queue: {
      durable: true,
      enqueue: async (refs) => void enqueued.push({ refs: [...refs], checkpointBefore: checkpoint.value }),
      idle: async () => undefined,
    },
    reconcile: async (reason) => void reconciled.push(reason),
  };
  return { sink: value, enqueued, reconciled };
}

/** Runs the feed until `done()` holds, then aborts it. */
async function runUntil(feed: ChangeStreamFeed, done: () => boolean): Promise<void> {
  const controller = new AbortController();
  const running = feed.run(controller.signal);
  const deadline = Date.now() + 5000;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
  controller.abort();
  await running;
  expect(done()).toBe(true);
}

describe('change stream feed', () => {
  it('without a token: opens from now, reconciles once, saves the token, then follows', async () => {
    const checkpoint = memoryCheckpoint();
    const { sink: out, enqueued, reconciled } = sink(checkpoint);
    const streams: ScriptedStream[] = [];
    const feed = new ChangeStreamFeed({
      open: (startAfter) => (streams.push(new ScriptedStream([null, insert(1)], startAfter, token(99))), streams.at(-1)!),
      checkpoint, sink: out, translate,
    });
    await runUntil(feed, () => enqueued.length === 1);
    expect(streams[0]?.startAfter).toBeUndefined();
    expect(reconciled).toEqual([{ kind: 'no-checkpoint' }]);
    expect(enqueued[0]?.refs).toEqual([{ className: 'Office', id: '1' }]);
    expect(parseToken(checkpoint.saves[1] ?? '')).toEqual(token(1));
    expect(streams[0]?.closed).toBe(true);
  });

  it('resumes after the saved token, drops own writes, checkpoints only after the jobs are queued', async () => {
    const checkpoint = memoryCheckpoint(serializeToken(token(5)));
    const { sink: out, enqueued, reconciled } = sink(checkpoint);
    let startAfter: unknown;
    const feed = new ChangeStreamFeed({
      open: (after) => ((startAfter = after), new ScriptedStream([insert(6), ownWrite(7), insert(8)], after, token(8))),
      checkpoint, sink: out, translate,
    });
    await runUntil(feed, () => checkpoint.value === serializeToken(token(8)));
    expect(startAfter).toEqual(token(5));
    expect(reconciled).toEqual([]);
    expect(enqueued.flatMap((e) => e.refs.map((r) => r.id))).toEqual(['6', '8']);
    // At enqueue time the checkpoint was still the old token.
    expect(enqueued[0]?.checkpointBefore).toBe(serializeToken(token(5)));
  });

  it('delivers in batches of at most maxBatch events', async () => {
    const checkpoint = memoryCheckpoint(serializeToken(token(0)));
    const { sink: out, enqueued } = sink(checkpoint);
    const events = Array.from({ length: 7 }, (_, i) => insert(i + 1));
    const feed = new ChangeStreamFeed({ open: (after) => new ScriptedStream([...events], after, token(7)), checkpoint, sink: out, translate, maxBatch: 3 });
    await runUntil(feed, () => enqueued.flatMap((e) => e.refs).length === 7);
    expect(enqueued.map((e) => e.refs.length)).toEqual([3, 3, 1]);
    expect(checkpoint.saves.map((s) => parseToken(s))).toEqual([token(3), token(6), token(7)]);
  });

  it('saves the post-batch token periodically while idle', async () => {
    const checkpoint = memoryCheckpoint(serializeToken(token(1)));
    const { sink: out } = sink(checkpoint);
    const feed = new ChangeStreamFeed({ open: (after) => new ScriptedStream([], after, token(42)), checkpoint, sink: out, translate, idleCheckpointMs: 0 });
    await runUntil(feed, () => checkpoint.value === serializeToken(token(42)));
  });

  it('on ChangeStreamHistoryLost: forgets the token, reconciles once, follows from now', async () => {
    const checkpoint = memoryCheckpoint(serializeToken(token(1)));
    const { sink: out, enqueued, reconciled } = sink(checkpoint);
    const opened: unknown[] = [];
    const feed = new ChangeStreamFeed({
      open: (after) => {
        opened.push(after);
        return after ? new ScriptedStream([new ServerError(286, 'ChangeStreamHistoryLost')], after, token(1)) : new ScriptedStream([insert(50)], after, token(50));
      },
      checkpoint, sink: out, translate, retryDelayMs: 1,
    });
    await runUntil(feed, () => enqueued.length === 1);
    expect(opened).toEqual([token(1), undefined]);
    expect(reconciled).toEqual([{ kind: 'history-lost' }]);
  });

  it('never loops on a history loss it cannot fix: a fresh stream losing history throws', async () => {
    const checkpoint = memoryCheckpoint();
    const { sink: out, reconciled } = sink(checkpoint);
    let opens = 0;
    const feed = new ChangeStreamFeed({
      open: (after) => (opens++, new ScriptedStream([null, new ServerError(286, 'ChangeStreamHistoryLost')], after, token(1))),
      checkpoint, sink: out, translate,
    });
    await expect(feed.run(new AbortController().signal)).rejects.toThrow('ChangeStreamHistoryLost');
    expect(opens).toBe(1);
    expect(reconciled).toHaveLength(1);
  });

  it('retries other errors with backoff a bounded number of times', async () => {
    const checkpoint = memoryCheckpoint(serializeToken(token(1)));
    const { sink: out } = sink(checkpoint);
    let opens = 0;
    const feed = new ChangeStreamFeed({
      open: (after) => (opens++, new ScriptedStream([new Error('connection reset')], after, token(1))),
      checkpoint, sink: out, translate, maxRetries: 2, retryDelayMs: 1,
    });
    await expect(feed.run(new AbortController().signal)).rejects.toThrow('connection reset');
    expect(opens).toBe(3);
    // A transient error never discards the token.
    expect(checkpoint.value).toBe(serializeToken(token(1)));
  });

  it('on invalidate: delivers what came before, then reconciles and reopens from now', async () => {
    const checkpoint = memoryCheckpoint(serializeToken(token(1)));
    const { sink: out, enqueued, reconciled } = sink(checkpoint);
    const opened: unknown[] = [];
    const invalidate = { _id: token(3), operationType: 'invalidate' } as ChangeStreamDocument;
    const feed = new ChangeStreamFeed({
      open: (after) => (opened.push(after), after ? new ScriptedStream([insert(2), invalidate], after, token(3)) : new ScriptedStream([null, insert(9)], after, token(9))),
      checkpoint, sink: out, translate,
    });
    await runUntil(feed, () => enqueued.length === 2);
    expect(enqueued.map((e) => e.refs[0]?.id)).toEqual(['2', '9']);
    expect(opened).toEqual([token(1), undefined]);
    expect(reconciled).toEqual([{ kind: 'invalidate' }]);
  });
});

describe('change stream helpers', () => {
  it('recognises history loss by code or name', () => {
    expect(isHistoryLost(new ServerError(286, 'ChangeStreamHistoryLost'))).toBe(true);
    expect(isHistoryLost(new ServerError(280, 'ChangeStreamFatalError'))).toBe(true);
    // A stored token the server refuses is as unusable as a lost one: reconcile, do not retry.
    expect(isHistoryLost(new ServerError(260, 'InvalidResumeToken'))).toBe(true);
    expect(isHistoryLost(new ServerError(6, 'HostUnreachable'))).toBe(false);
    expect(isHistoryLost(null)).toBe(false);
  });

  it('round-trips tokens through Extended JSON', () => {
    expect(parseToken(serializeToken(token(7)))).toEqual(token(7));
  });

  it('filters on the server to the class collections and asks for pre-images only when enabled', () => {
    expect(changeStreamPipeline(['office', 'letter'])).toEqual([
      { $match: { $or: [{ 'ns.coll': { $in: ['office', 'letter'] } }, { 'to.coll': { $in: ['office', 'letter'] } }, { operationType: 'invalidate' }] } },
    ]);
    expect(changeStreamOptions({ collections: [], preImages: true }, token(1))).toMatchObject({
      fullDocument: 'updateLookup', fullDocumentBeforeChange: 'whenAvailable', startAfter: token(1),
    });
    const plain = changeStreamOptions({ collections: [], preImages: false }, undefined);
    expect(plain).not.toHaveProperty('fullDocumentBeforeChange');
    expect(plain).not.toHaveProperty('startAfter');
  });
});
