/**
 * The behaviour both queues promise (recompute-queue.ts), run against each implementation by
 * bullmq-queue.test.ts and in-process-queue.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BatchContext, BatchResult, ObjectRef, QueueHandlers, RecomputeQueue } from '../../src/queue/index.ts';

/** Settings every contract queue is created with (small batches, fast retries). */
export interface ContractSettings {
  readonly batchSize: number;
  readonly attempts: number;
  readonly backoffMs: number;
}

/** Makes a fresh queue (and cleans it up when `close` is called and the test ends). */
export type MakeQueue = (settings: ContractSettings) => Promise<RecomputeQueue>;

const ref = (id: string, className = 'Item'): ObjectRef => ({ className, id });

/** Records every processor call. */
class FakeProcessor {
  readonly calls: { refs: ObjectRef[]; context: BatchContext }[] = [];
  constructor(private readonly body: (refs: readonly ObjectRef[], context: BatchContext) => Promise<readonly ObjectRef[] | BatchResult> = async () => []) {}
  readonly handlers: QueueHandlers = {
    recompute: async (refs, context) => {
      this.calls.push({ refs: [...refs], context });
      return this.body(refs, context);
    },
  };
  /** How many times each id was processed. */
  runs(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.calls) for (const r of call.refs) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
    return counts;
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Registers the contract tests. */
export function queueContract(label: string, make: MakeQueue): void {
  describe(`${label}: queue contract`, () => {
    const open: RecomputeQueue[] = [];
    const create = async (settings: Partial<ContractSettings> = {}): Promise<RecomputeQueue> => {
      const queue = await make({ batchSize: 10, attempts: 3, backoffMs: 10, ...settings });
      open.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((queue) => queue.close()));
    });

    it('processes every object once, in batches no larger than batchSize', async () => {
      const queue = await create({ batchSize: 10 });
      const processor = new FakeProcessor();
      await queue.enqueue(Array.from({ length: 95 }, (_, i) => ref(String(i))));
      await queue.start(processor.handlers);
      await queue.idle({ timeoutMs: 10_000 });
      const runs = processor.runs();
      expect(runs.size).toBe(95);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      expect(Math.max(...processor.calls.map((c) => c.refs.length))).toBeLessThanOrEqual(10);
      // Batching actually happens: far fewer calls than objects.
      expect(processor.calls.length).toBeLessThan(40);
      expect((await queue.counts()).completed).toBe(95);
    });

    it('absorbs repeated enqueues of a waiting object', async () => {
      const queue = await create();
      const processor = new FakeProcessor();
      for (let i = 0; i < 5; i += 1) await queue.enqueue([ref('a'), ref('b'), ref('a')]);
      expect((await queue.counts()).waiting).toBe(2);
      await queue.start(processor.handlers);
      await queue.idle({ timeoutMs: 10_000 });
      expect(Object.fromEntries(processor.runs())).toEqual({ a: 1, b: 1 });
    });

    it('keeps exactly one more run for changes arriving while the object is being recomputed', async () => {
      const queue = await create();
      const gate = deferred();
      const running = deferred();
      let first = true;
      const processor = new FakeProcessor(async (refs) => {
        if (first && refs.some((r) => r.id === 'x')) {
          first = false;
          running.resolve();
          await gate.promise;
        }
        return [];
      });
      await queue.enqueue([ref('x')]);
      await queue.start(processor.handlers);
      await running.promise;
      // Three changes during the run: at most one waits, none is lost.
      await queue.enqueue([ref('x')], { reason: 'second' });
      await queue.enqueue([ref('x')], { reason: 'third' });
      await queue.enqueue([ref('x')], { reason: 'fourth' });
      const during = await queue.counts();
      expect(during.active).toBe(1);
      expect(during.waiting).toBeLessThanOrEqual(1);
      gate.resolve();
      await until(() => (processor.runs().get('x') ?? 0) >= 2);
      await queue.idle({ timeoutMs: 10_000 });
      expect(processor.runs().get('x')).toBe(2);
      // The latest change's data is the one kept.
      expect(processor.calls.at(-1)?.context.reasons).toEqual(['fourth']);
    });

    it('enqueues the returned cascade with reason "cascade"', async () => {
      const queue = await create();
      const processor = new FakeProcessor(async (refs) =>
        refs.flatMap((r) => (r.className === 'Item' ? [ref(`parent-of-${r.id}`, 'Parent')] : [])),
      );
      await queue.enqueue([ref('1'), ref('2')]);
      await queue.start(processor.handlers);
      await queue.idle({ timeoutMs: 10_000 });
      const parents = processor.calls.filter((c) => c.refs.some((r) => r.className === 'Parent'));
      expect(parents.flatMap((c) => c.refs.map((r) => r.id)).sort()).toEqual(['parent-of-1', 'parent-of-2']);
      expect(parents.every((c) => c.context.reasons.includes('cascade'))).toBe(true);
    });

    it('fails a permanently failing object alone, at once, keeping its error; the others go through', async () => {
      const queue = await create({ attempts: 3 });
      const processor = new FakeProcessor(async (refs) => {
        if (refs.some((r) => r.id === 'bad')) {
          const error = new Error('division of a string');
          error.name = 'FormulaRuntimeError';
          throw error;
        }
        return [];
      });
      await queue.enqueue(['a', 'bad', 'b', 'c'].map((id) => ref(id)));
      await queue.start(processor.handlers);
      await until(async () => (await queue.counts()).failed === 1);
      await queue.idle({ timeoutMs: 10_000 });
      const runs = processor.runs();
      for (const id of ['a', 'b', 'c']) expect(runs.get(id)).toBeGreaterThanOrEqual(1);
      // No retry for a permanent error: one run in the batch, one alone.
      expect(runs.get('bad')).toBe(2);
      const failures = await queue.failures();
      expect(failures).toHaveLength(1);
      expect(await queue.failures(0)).toEqual([]); // a limit of 0 asks for none
      expect(failures[0]?.ref).toEqual(ref('bad'));
      expect(failures[0]?.error).toContain('division of a string');
      expect(failures[0]?.error).toContain('FormulaRuntimeError');
    });

    it('takes partial failures from a BatchResult: no re-run, the cascade of the rest kept', async () => {
      const queue = await create({ attempts: 3 });
      const processor = new FakeProcessor(async (refs) => {
        const bad = refs.filter((r) => r.id === 'bad');
        const error = new Error('x is not a number');
        error.name = 'FormulaRuntimeError';
        return {
          cascade: refs.filter((r) => r.className === 'Item' && r.id !== 'bad').map((r) => ref(`p-${r.id}`, 'Parent')),
          failed: bad.map((r) => ({ ref: r, error })),
        };
      });
      await queue.enqueue(['a', 'bad', 'b'].map((id) => ref(id)));
      await queue.start(processor.handlers);
      await until(async () => (await queue.counts()).failed === 1);
      await queue.idle({ timeoutMs: 10_000 });
      const runs = processor.runs();
      expect([runs.get('a'), runs.get('bad'), runs.get('b')]).toEqual([1, 1, 1]);
      expect(runs.get('p-a')).toBe(1);
      expect(runs.get('p-b')).toBe(1);
      const [failed] = await queue.failures();
      expect(failed?.ref).toEqual(ref('bad'));
      expect(failed?.error).toContain('FormulaRuntimeError: x is not a number');
      expect(failed?.attempts).toBe(1);
    });

    it('retries a transient failure with backoff until it succeeds', async () => {
      const queue = await create({ attempts: 3, backoffMs: 20 });
      let failuresLeft = 2;
      const times: number[] = [];
      const processor = new FakeProcessor(async (refs) => {
        if (refs.some((r) => r.id === 'flaky')) {
          times.push(Date.now());
          if (failuresLeft > 0) {
            failuresLeft -= 1;
            throw new Error('connection lost');
          }
        }
        return [];
      });
      await queue.enqueue([ref('flaky')]);
      await queue.start(processor.handlers);
      await until(() => times.length >= 3);
      await queue.idle({ timeoutMs: 10_000 });
      const counts = await queue.counts();
      expect(counts.failed).toBe(0);
      expect(counts.completed).toBe(1);
      expect(processor.calls.map((c) => c.context.attempt)).toEqual([1, 2, 3]);
      // Exponential: the second wait is at least twice the base.
      expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(35);
    });

    it('keeps a job failed after its last attempt and does not block later work', async () => {
      const queue = await create({ attempts: 2, backoffMs: 10 });
      const processor = new FakeProcessor(async (refs) => {
        if (refs.some((r) => r.id === 'doomed')) throw new Error('still down');
        return [];
      });
      await queue.enqueue([ref('doomed'), ref('fine')]);
      await queue.start(processor.handlers);
      await until(async () => (await queue.counts()).failed === 1);
      await queue.enqueue([ref('later')]);
      await queue.idle({ timeoutMs: 10_000 });
      expect(processor.runs().get('later')).toBe(1);
      expect((await queue.failures())[0]?.error).toContain('still down');
      expect((await queue.failures())[0]?.attempts).toBe(2);
      // A new change to the failed object queues it afresh.
      const before = processor.runs().get('doomed') ?? 0;
      await queue.enqueue([ref('doomed')]);
      await until(async () => (await queue.counts()).failed === 2);
      expect(processor.runs().get('doomed')).toBeGreaterThan(before);
    });

    it('pages through a class for a refresh job', async () => {
      const queue = await create();
      const processor = new FakeProcessor();
      const ids = Array.from({ length: 25 }, (_, i) => `o${i}`);
      const pages: (string | null)[] = [];
      await queue.start({
        ...processor.handlers,
        pageClass: async (className, after, limit) => {
          pages.push(after);
          const start = after === null ? 0 : Number(after);
          const slice = ids.slice(start, Math.min(start + Math.min(limit, 10), ids.length));
          const next = start + slice.length < ids.length ? String(start + slice.length) : null;
          expect(className).toBe('Item');
          return { ids: slice, next };
        },
      });
      await queue.refreshClass('Item');
      await until(() => processor.runs().size === 25);
      await queue.idle({ timeoutMs: 10_000 });
      expect(pages).toEqual([null, '10', '20']);
      expect(processor.calls.every((c) => c.context.reasons.includes('refresh'))).toBe(true);
    });

    it('close waits for the running batch to finish', async () => {
      const queue = await create();
      const running = deferred();
      let finished = false;
      const processor = new FakeProcessor(async () => {
        running.resolve();
        await new Promise((r) => setTimeout(r, 150));
        finished = true;
        return [];
      });
      await queue.enqueue([ref('slow')]);
      await queue.start(processor.handlers);
      await running.promise;
      await queue.close();
      expect(finished).toBe(true);
    });
  });
}
