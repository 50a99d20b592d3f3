/**
 * Every case of `cases.jsonl` by the conformance protocol: after a rebuild of the world, the
 * object is freshly loaded from the store (non-cached formulas computed, links loaded when
 * reached) and the formula evaluated with it as context; `cast_type` cases also check the value an
 * attribute of that type would hold.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeValue } from '../../src/formula/value-encoding.ts';
import { evaluateFormula, rebuildAll } from '../../src/recompute/index.ts';
import type { RecomputeContext } from '../../src/recompute/types.ts';
import { readCases, worldContext, type ConformanceCase } from './helpers.ts';

const cases = readCases('cases.jsonl');
const contexts = new Map<string, RecomputeContext>();

beforeAll(async () => {
  for (const world of ['A', 'B', 'C']) {
    const ctx = await worldContext(world, { now: new Date('2024-01-01T00:00:00Z') });
    await rebuildAll(ctx);
    contexts.set(world, ctx);
  }
});

/** A thrown error is encoded `{"$error": message}`: only the failure is required, not the text. */
async function outcome(c: ConformanceCase): Promise<{ value: unknown; cast?: unknown }> {
  try {
    const evaluation = await evaluateFormula(contexts.get(c.world)!, { class: c.class, id: c.objectId }, c.formula);
    return {
      value: evaluation.encoded(),
      ...(c.cast_type !== undefined ? { cast: encodeValue(evaluation.cast(c.cast_type), evaluation.graph) } : {}),
    };
  } catch (error) {
    return { value: { $error: (error as Error).message } };
  }
}

describe('conformance cases', () => {
  it('has the documented number of cases', () => {
    expect(cases.length).toBe(78);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const got = await outcome(c);
    const expected = c.expected as { $error?: string } | null;
    if (expected !== null && typeof expected === 'object' && '$error' in expected) {
      expect(got.value).toHaveProperty('$error');
      return;
    }
    expect(got.value).toEqual(c.expected);
    if (c.cast_type !== undefined) expect(got.cast).toEqual(c.expected_cast);
  });
});
