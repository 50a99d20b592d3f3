/**
 * The layers of design.md ("each one a folder of `src/`, each knowing only the layers above it")
 * and style.md's "no import cycles", checked on the import graph of `src/`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph, layerOf, readTree, runtimeCycles, type ImportEdge } from './import-graph.ts';

const src = join(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * What each folder of `src/` may import, from design.md's table, in its order: formula, meta,
 * store, recompute, feed/queue, then the outer surface (config, http, cli) and the composition
 * root (worker). `log` and `demo` are leaves anyone above may use.
 */
const INNER = ['formula', 'meta', 'store', 'recompute'] as const;
const MAY_IMPORT: Record<string, readonly string[]> = {
  log: [],
  demo: [],
  formula: [],
  meta: ['formula'],
  store: ['formula', 'meta', 'log'],
  recompute: ['formula', 'meta', 'store', 'log'],
  feed: [...INNER, 'queue', 'log'],
  queue: [...INNER, 'feed', 'log'],
  config: [...INNER, 'feed', 'queue', 'log'],
  http: [...INNER, 'feed', 'queue', 'config', 'log'],
  worker: [...INNER, 'feed', 'queue', 'config', 'http', 'log', 'demo'],
  cli: [...INNER, 'feed', 'queue', 'config', 'http', 'log', 'demo', 'worker'],
  'index.ts': [...INNER, 'feed', 'queue', 'config', 'http', 'log', 'demo', 'worker', 'cli'],
};
/** Files outside `src/` a layer may import: the grammar (string syntax) and the meta JSON Schema. */
const OUTSIDE: Record<string, readonly string[]> = { formula: ['../grammar/'], meta: ['../schema/'] };
/** "feed/, queue/ … know nothing of formula internals": only the formula layer's entry point. */
const FORMULA_ENTRY_ONLY = new Set(['feed', 'queue', 'config', 'http']);

/** The edges that break the rules, as readable lines. */
function layerViolations(edges: readonly ImportEdge[]): string[] {
  const broken: string[] = [];
  for (const { from, to } of edges) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === b) continue;
    const allowed = b === '..'
      ? (OUTSIDE[a] ?? []).some((prefix) => to.startsWith(prefix))
      : (MAY_IMPORT[a] ?? []).includes(b) && !(b === 'formula' && FORMULA_ENTRY_ONLY.has(a) && to !== 'formula/index.ts');
    if (!allowed) broken.push(`${from} imports ${to}`);
  }
  return broken;
}

describe('the checks themselves', () => {
  const planted = new Map([
    ['formula/a.ts', "import { b } from '../meta/b.ts';\nexport const a = b;"],
    ['meta/b.ts', "import type { A } from '../formula/a.ts';\nimport { c } from './c.ts';\nexport const b = c;"],
    ['meta/c.ts', "import { b } from './b.ts';\nexport { type B } from './b.ts';\nexport const c = () => b;"],
    ['queue/q.ts', "import { compile } from '../formula/codegen.ts';\nexport const q = () => import('../formula/index.ts');"],
  ]);
  const edges = importGraph(planted);

  it('reads value, type-only and dynamic imports', () => {
    expect(edges).toContainEqual({ from: 'meta/b.ts', to: 'formula/a.ts', typeOnly: true });
    expect(edges).toContainEqual({ from: 'meta/c.ts', to: 'meta/b.ts', typeOnly: true });
    expect(edges).toContainEqual({ from: 'queue/q.ts', to: 'formula/index.ts', typeOnly: false });
  });

  it('finds a planted run-time cycle and not the one closed only by a type import', () => {
    expect(runtimeCycles(edges)).toEqual([['meta/b.ts', 'meta/c.ts', 'meta/b.ts']]);
  });

  it('finds a layer importing one below it, and formula internals used from outside', () => {
    expect(layerViolations(edges)).toEqual(['formula/a.ts imports meta/b.ts', 'queue/q.ts imports formula/codegen.ts']);
  });
});

describe('src/', () => {
  const sources = readTree(src);
  const edges = importGraph(sources);

  it('has only folders the layer table places', () => {
    const layers = new Set([...sources.keys()].map(layerOf));
    expect([...layers].filter((layer) => !(layer in MAY_IMPORT))).toEqual([]);
    expect(edges.length).toBeGreaterThan(100);
  });

  it('keeps each layer to the layers above it (design.md)', () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it('has no run-time import cycles (type-only imports are erased)', () => {
    expect(runtimeCycles(edges)).toEqual([]);
  });
});
