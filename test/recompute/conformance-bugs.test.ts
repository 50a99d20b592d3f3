/**
 * `bugs.jsonl`: upstream defects and loading accidents. Each is decided (docs/recompute.md,
 * "Bug decisions"): every one of the six is fixed here, so each test asserts that we do NOT give
 * the upstream value and DO give the intended one, checked by hand against the world's data.
 * Plus the loading quirks the conformance README lists without a developer case.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateFormula, rebuildAll } from '../../src/recompute/index.ts';
import type { RecomputeContext } from '../../src/recompute/types.ts';
import { readCases, worldContext } from './helpers.ts';

const bugs = new Map(readCases('bugs.jsonl').map((c) => [c.id, c]));
const contexts = new Map<string, RecomputeContext>();

beforeAll(async () => {
  for (const world of ['A', 'B', 'C']) {
    const ctx = await worldContext(world);
    await rebuildAll(ctx);
    contexts.set(world, ctx);
  }
});

async function run(world: string, cls: string, id: string, formula: unknown): Promise<unknown> {
  return (await evaluateFormula(contexts.get(world)!, { class: cls, id }, formula)).encoded();
}

/** Our decision per bug case: the value we give (the upstream value is the case's `expected`). */
const decisions: Record<string, { value: unknown; why: string }> = {
  // sample x1: name "Omega". Quoted literals are literals; a comma after a quote separates.
  'SBUG-quote-comma': { value: 'xOmega', why: 'quote-comma rule fixed (formula layer)' },
  'SBUG-paren-quote': { value: 'x(yOmega', why: 'parentheses inside quotes are text (formula layer)' },
  'SBUG-pad-dir': { value: 'Omega...', why: 'pad honours its direction argument (formula layer)' },
  'SBUG-n2w': { value: 'сорок два', why: 'number2words works (formula layer)' },
  // offices of kind b: so1 staff 4, so3 staff 9 → the minimum is 4 (upstream computed the max, 9).
  'SBUG-class-min': { value: 4, why: 'class-form min computes the minimum' },
  // st2.offices = so1 (ОПС Рыбачье, b), so2 (Автопочта, c); label = concat(name, "/", kind).
  'SBUG-agg-noncached': { value: 'ОПС Рыбачье/b,Автопочта/c', why: 'non-cached formulas of collection elements are computed' },
};

describe('bugs.jsonl decisions', () => {
  it('decides every case of the file', () => {
    expect([...bugs.keys()].sort()).toEqual(Object.keys(decisions).sort());
  });

  it.each(Object.entries(decisions))('%s', async (id, decision) => {
    const c = bugs.get(id)!;
    const got = await run(c.world, c.class, c.objectId, c.formula);
    expect(got).toEqual(decision.value);
    expect(got).not.toEqual(c.expected);
  });
});

describe('loading quirks of the README without a developer case', () => {
  it('attr@ of a reference not loaded with the object is the linked semantic, not the stored key', async () => {
    // costing k1 → petitionExpert (petition semantic "regNum"); ION would give the stored key.
    const regNum = await run('A', 'costing@wa', 'k1', '$petitionExpert.regNum');
    expect(typeof regNum).toBe('string');
    expect(await run('A', 'costing@wa', 'k1', '$petitionExpert@')).toBe(regNum);
  });

  it('null elements of a path are skipped by an aggregation with a condition (ION crashes)', async () => {
    // sp1 docs: si1 (lines sl1 qty 4, sl2 qty 1), scn1 (sl4 qty 1), sak1 (an act: no lines → null).
    expect(await run('C', 'person@wc', 'sp1', { count: ['$docs.lines', { '&gt': ['$qty', 1] }] })).toBe(1);
    expect(await run('C', 'person@wc', 'sp1', { count: ['$docs.lines', { '&gt': ['$qty', 0] }] })).toBe(3);
  });

  it('get(class, id) respects the class: an act is not found as an invoice (ION ignores the class)', async () => {
    expect(await run('C', 'doc@wc', 'sg1', { get: ['invoice@wc', 'sak1'] })).toBeNull();
    expect(await run('C', 'doc@wc', 'sg1', { get: ['doc@wc', 'sak1'] })).toEqual({ $item: { class: 'act@wc', id: 'sak1' } });
  });
});

describe('the conformance protocol', () => {
  it('loads the context object by id in its root collection, whatever class the case names (as ION)', async () => {
    // sak1 is an act, not an invoice: a formula on it still sees the act.
    expect(await run('C', 'invoice@wc', 'sak1', '$__class')).toBe('act@wc');
  });
});
