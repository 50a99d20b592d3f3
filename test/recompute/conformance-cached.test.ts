/**
 * Every value of `cached-expected.json` (computed by the upstream ION recompute, run to its
 * fixpoint) after one `rebuildAll` of each world on the embedded store. World C only settles in
 * one run because classes are recomputed in dependency order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../../src/formula/value-encoding.ts';
import { objectId } from '../../src/meta/index.ts';
import { hasTargets, rebuildAll } from '../../src/recompute/index.ts';
import { allDocuments, CONFORMANCE, worldContext } from './helpers.ts';

type Expected = Record<string, Record<string, Record<string, Record<string, unknown>>>>;
const expected = JSON.parse(readFileSync(join(CONFORMANCE, 'cached-expected.json'), 'utf8')) as Expected;

describe.each(['A', 'B', 'C'])('world %s: rebuild', (world) => {
  it('gives every expected cached value, for every object with cached values, in one run', async () => {
    const ctx = await worldContext(world);
    const result = await rebuildAll(ctx);
    expect(result.errors).toEqual([]);
    const actual: Expected[string] = {};
    for (const doc of await allDocuments(ctx.store)) {
      const cls = ctx.meta.repository.get(doc._class as string);
      if (!hasTargets(cls)) continue;
      const values: Record<string, unknown> = {};
      const wanted = expected[world]![cls.canonicalName]?.[objectId(cls, doc)!] ?? {};
      for (const attribute of Object.keys(wanted)) values[attribute] = encodeValue(doc[attribute]);
      actual[cls.canonicalName] ??= {};
      actual[cls.canonicalName]![objectId(cls, doc)!] = values;
    }
    expect(actual).toEqual(expected[world]);
    // Dependency order: every object computed once, nothing had to be recomputed afterwards.
    const withTargets = (await allDocuments(ctx.store)).filter((d) => hasTargets(ctx.meta.repository.get(d._class as string)));
    expect(result.objects).toBe(withTargets.length);
    expect(result.cascade).toEqual([]);
  });

  it('changes nothing when run again (the result is a fixpoint)', async () => {
    const ctx = await worldContext(world);
    await rebuildAll(ctx);
    const again = await rebuildAll(ctx);
    expect(again.changedFields).toEqual([]);
    expect(again.written).toBe(0);
  });
});
