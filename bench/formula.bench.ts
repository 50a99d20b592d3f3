/**
 * `npm run bench:formula`: parse+compile throughput over the corpus, and evaluation against
 * hand-written JavaScript computing the same values, measured side by side in one run.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFormula } from '../src/formula/compile.ts';
import { formatRate, measure, report } from './harness.ts';

const here = dirname(fileURLToPath(import.meta.url));
const corpusFile = join(here, '../../shared/corpus/ion-formulas.jsonl');
const corpus = readFileSync(corpusFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => (JSON.parse(l) as { formula: unknown }).formula);

let ok = true;
console.log(`ion-recalc formula benchmark — node ${process.version}, ${corpus.length} corpus formulas\n`);

// 1. parse + compile (code generation included), no cache.
{
  let compiled = 0;
  const start = performance.now();
  const deadline = start + 2000;
  while (performance.now() < deadline) {
    for (const formula of corpus) {
      compileFormula(formula, { cache: false }).bind();
      compiled++;
    }
  }
  const rate = (compiled * 1000) / (performance.now() - start);
  ok = report('parse + compile, whole corpus (no cache)', formatRate(rate), '>= 20,000 formulas/s', rate >= 20_000) && ok;
}

// 2. scalar formula (develop-and-test calcAttr.y) against a hand-written function.
{
  const objects = Array.from({ length: 1024 }, (_, i) => ({ id: i, a: i % 17, b: i % 5, c: 3, x: i % 11 }));
  const formula = compileFormula('add(mul($a,$x,$x), mul($b,$x), $c)');
  const evaluate = formula.bind();
  const hand = (o: { a: number; b: number; c: number; x: number }): number => o.a * o.x * o.x + o.b * o.x + o.c;
  let i = 0;
  const check = objects.every((o) => evaluate(o) === hand(o));
  const h = measure('hand-written', () => hand(objects[i++ & 1023] as (typeof objects)[number]));
  const f = measure('formula', () => evaluate(objects[i++ & 1023]));
  const ratio = h.opsPerSecond / f.opsPerSecond;
  console.log(`      scalar: formula ${formatRate(f.opsPerSecond)}, hand-written ${formatRate(h.opsPerSecond)}`);
  ok = report('scalar add(mul($a,$x,$x), mul($b,$x), $c): slowdown', `${ratio.toFixed(2)}x`, '<= 3x', check && ratio <= 3) && ok;
}

// 3. count / sum with a lazy condition over 1,000 elements.
{
  const ops = Array.from({ length: 1000 }, (_, i) => ({ id: `o${i}`, gops: ['a', 'b', 'c'][i % 3], staff: i % 7 }));
  const target = { ops };
  type Op = (typeof ops)[number];
  const cases: [string, string, (o: { ops: Op[] }) => number][] = [
    [
      'count($ops, &eq($gops, b))',
      'count($ops, &eq($gops, b))',
      (o) => {
        let n = 0;
        for (const e of o.ops) if (e !== null && e.gops === 'b') n++;
        return n;
      },
    ],
    [
      'sum($ops, staff, &eq($gops, b))',
      'sum($ops, staff, &eq($gops, b))',
      (o) => {
        let s = 0;
        for (const e of o.ops) if (e !== null && e.gops === 'b' && e.staff !== null) s += e.staff;
        return s;
      },
    ],
  ];
  for (const [label, source, hand] of cases) {
    const evaluate = compileFormula(source).bind();
    const check = evaluate(target) === hand(target);
    const h = measure('hand-written', () => hand(target));
    const f = measure('formula', () => evaluate(target));
    const ratio = h.opsPerSecond / f.opsPerSecond;
    console.log(`      ${label}: formula ${formatRate(f.opsPerSecond)}, hand-written ${formatRate(h.opsPerSecond)}`);
    ok = report(`${label} over 1,000: slowdown`, `${ratio.toFixed(2)}x`, '<= 3x', check && ratio <= 3) && ok;
  }
}

console.log(ok ? '\nall formula targets met' : '\nsome formula targets missed');
