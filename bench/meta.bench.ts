/**
 * `npm run bench:meta`: load, validate, bind and build the dependency graph for a generated meta
 * set of 600 classes with 10 formulas each (string and object syntax, paths through references,
 * back-reference and id-array collections, lazy conditions, cacheDependencies). Target: < 2 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMeta } from '../src/meta/index.ts';
import { report } from './harness.ts';

const CLASSES = 600;
const TARGET_MS = 2000;

/** Class `c<i>`: a chain where each class refers to the previous one and collects the next. */
function classFile(i: number): unknown {
  const prev = `c${(i + CLASSES - 1) % CLASSES}`;
  const next = `c${(i + 1) % CLASSES}`;
  const formulas: unknown[] = [
    { add: ['$v0', '$v1', { mul: ['$v2', 2] }] },
    { concat: ['$name', ' / ', '$ref.name'] },
    { sum: ['$items', 'v0'] },
    'count($items, &gt($v1, 3), 1)',
    { merge: ['$items', 'ref.name', null, 1, ', '] },
    'count($tags, &eq($v2, 1))',
    { if: [{ nempty: ['$ref'] }, '$ref.ref.v3', 0] },
    { round: [{ div: ['$f0', { add: ['$f2', 1] }] }, 2] },
    { max: ['$items.tags', 'v4'] },
    'concat($ref.f1, substr($name, 0, 3))',
  ];
  return {
    name: `c${i}`,
    namespace: 'bench',
    key: ['id'],
    semantic: 'name| (|ref|)',
    semanticCached: i % 10 === 0,
    cacheDependencies: ['ref'],
    properties: [
      { orderNumber: 1, name: 'id', type: 0, unique: true },
      { orderNumber: 2, name: 'name', type: 0 },
      ...[0, 1, 2, 3, 4].map((k) => ({ orderNumber: 3 + k, name: `v${k}`, type: 6 })),
      { orderNumber: 10, name: 'ref', type: 13, refClass: prev },
      { orderNumber: 11, name: 'items', type: 14, itemsClass: next, backRef: 'ref' },
      { orderNumber: 12, name: 'tags', type: 14, itemsClass: next },
      ...formulas.map((formula, k) => ({ orderNumber: 20 + k, name: `f${k}`, type: k === 1 || k === 4 || k === 9 ? 0 : 7, formula, cached: k % 2 === 0 })),
    ],
  };
}

const dir = mkdtempSync(join(tmpdir(), 'recalc-bench-meta-'));
try {
  for (let i = 0; i < CLASSES; i++) writeFileSync(join(dir, `c${i}.class.json`), JSON.stringify(classFile(i), null, 2));
  console.log(`ion-recalc meta benchmark — node ${process.version}, ${CLASSES} classes × 10 formulas\n`);
  openMeta(dir); // warm-up: module loading and JIT
  const runs: number[] = [];
  let summary = '';
  for (let r = 0; r < 3; r++) {
    const start = performance.now();
    const meta = openMeta(dir);
    runs.push(performance.now() - start);
    const errors = meta.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`generated meta has errors: ${errors[0]!.message}`);
    summary = `${meta.repository.classes.size} classes, ${meta.formulas.length} bound formulas, ${meta.graph.targets.length} cached targets, ${meta.graph.triggers.length} triggers, ${meta.diagnostics.length} warnings`;
  }
  const best = Math.min(...runs);
  console.log(summary);
  const ok = report('load + validate + bind + graph (best of 3)', `${best.toFixed(0)} ms`, `< ${TARGET_MS} ms`, best < TARGET_MS);
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
