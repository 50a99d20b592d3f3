/**
 * The entry points as the CLI and the worker use them: a rebuild restricted to classes, the
 * hooks (narration with causes, batch progress), and journaling of computed writes.
 */
import { describe, expect, it } from 'vitest';
import { keyValues } from '../../src/meta/index.ts';
import { applyChanges, rebuildAll, type ValueChange } from '../../src/recompute/index.ts';
import { docOf, worldContext } from './helpers.ts';

describe('rebuildAll({ classes })', () => {
  it('recomputes the named classes (bare names allowed) and cascades to the objects that read what changed', async () => {
    const ctx = await worldContext('C');
    const r = await rebuildAll(ctx, { classes: ['line'] });
    expect((await docOf(ctx, 'line@wc', 'sl1'))!.sum).toBe(182);
    // si1 reads its lines' sums: reached by the cascade; sg1 (a plain doc) reads no line: untouched.
    expect((await docOf(ctx, 'invoice@wc', 'si1'))!.total).toBe(302.13);
    expect(await docOf(ctx, 'doc@wc', 'sg1')).not.toHaveProperty('title');
    expect(r.cascade).toContainEqual({ class: 'invoice@wc', id: 'si1' });
  });

  it('rejects a class that is not in the meta', async () => {
    const ctx = await worldContext('C');
    await expect(rebuildAll(ctx, { classes: ['nope'] })).rejects.toThrow(/nope/);
  });
});

describe('hooks and the journal', () => {
  it('narrates every change with its cause and reports batches', async () => {
    const changes: { change: ValueChange; why: string }[] = [];
    const batches: string[] = [];
    const ctx = await worldContext('C', {
      hooks: { onChange: (change, why) => changes.push({ change, why }), onBatch: (b) => batches.push(`${b.class}:${b.objects}`) },
    });
    await rebuildAll(ctx);
    changes.length = 0;
    const line = ctx.meta.repository.get('line@wc');
    const since = await ctx.store.headSequence();
    await ctx.store.update(line.storage.collection, [{ id: 'sl3', match: keyValues(line, 'sl3'), set: { qty: 10 } }]);
    const r = await applyChanges(ctx, await ctx.store.readChanges(since, 10));
    expect(changes.map((c) => c.change)).toEqual(r.changedFields);
    const total = changes.find((c) => c.change.id === 'si2' && c.change.attribute === 'total')!;
    expect(total.change).toMatchObject({ old: 100.8, new: 84 });
    // Queued first by the line's declared cacheDependencies (the edit), before its sum changed.
    expect(total.why).toBe('cacheDependencies "invoice" of line@wc');
    const sum = changes.find((c) => c.change.id === 'sl3' && c.change.attribute === 'sum')!;
    expect(sum.why).toBe('update of line@wc/sl3');
    expect(batches.length).toBeGreaterThan(0);
  });

  it('journals computed writes as computed (a feed skips them), unless told not to', async () => {
    const ctx = await worldContext('C');
    await rebuildAll(ctx);
    const records = await ctx.store.readChanges(0, 1000);
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.computed)).toBe(true);
    const quiet = await worldContext('C', { journal: false });
    await rebuildAll(quiet);
    expect(await quiet.store.readChanges(0, 1000)).toEqual([]);
  });
});

describe('keepChanges: false', () => {
  it('counts the changes without keeping them (a rebuild of millions of objects)', async () => {
    const kept = await rebuildAll(await worldContext('C'));
    const counted = await rebuildAll(await worldContext('C', { keepChanges: false }));
    expect(counted.changedFields).toEqual([]);
    expect(counted.changedCount).toBe(kept.changedFields.length);
    expect(kept.changedCount).toBe(kept.changedFields.length);
    expect(counted.written).toBe(kept.written);
  });
});
