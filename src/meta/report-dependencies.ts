/**
 * Reports the comparison of inferred and declared dependencies as warnings: what ION would leave
 * stale (undeclared) and what it recomputes for nothing (unneeded).
 */
import type { DeclaredDependency } from './check-cache-deps.ts';
import type { DependencyGraph } from './graph/build.ts';
import type { MetaRepository } from './repository.ts';
import { MetaCodes, type DiagnosticSink } from './sink.ts';

export function reportDependencies(repo: MetaRepository, graph: DependencyGraph, declared: readonly DeclaredDependency[], sink: DiagnosticSink): void {
  const groups = new Map<string, { cls: string; path: string | undefined; targets: Set<string>; fields: Set<string> }>();
  for (const u of graph.undeclared) {
    const key = `${u.class}|${u.path ?? ''}`;
    const g = groups.get(key) ?? { cls: u.class, path: u.path, targets: new Set<string>(), fields: new Set<string>() };
    g.targets.add(`${u.target.class}.${u.target.attribute}`);
    for (const f of u.fields) g.fields.add(f);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const cls = repo.get(g.cls);
    const pointer = cls.raw.cacheDependencies !== undefined && cls.raw.cacheDependencies !== null ? '/cacheDependencies' : '/name';
    const fields = [...g.fields].sort().join(', ');
    const targets = [...g.targets].sort().join(', ');
    const message =
      g.path !== undefined
        ? `a change of ${cls.name}.{${fields}} affects ${targets} through "${g.path}", which cacheDependencies do not cover: ION leaves those values stale`
        : `a change of ${cls.name}.{${fields}} affects ${targets}, and no attribute path leads there from ${cls.name} (cacheDependencies cannot express it): ION leaves those values stale`;
    sink.warning(MetaCodes.undeclaredDependency, message, { file: cls.location.file, pointer, className: cls.canonicalName });
  }
  reportCycles(repo, declared, sink);
  declared.forEach((d) => {
    const edge = graph.declared.find((e) => e.class === d.owner && e.path === d.path);
    if (edge && !edge.needed) {
      sink.warning(MetaCodes.unneededDependency, `cacheDependencies "${d.path}": no cached value of ${edge.reaches} depends on ${repo.get(d.owner).name}`, {
        file: d.file,
        pointer: d.pointer,
        className: d.owner,
      });
    }
  });
}

/**
 * ION refreshes along `cacheDependencies` depth-first with no cycle protection (ion-spec §4.2):
 * a cycle of declarations between two or more classes recurses forever as soon as the objects
 * link each other. (A class naming itself — a parent link — ends at the root of its tree.)
 */
function reportCycles(repo: MetaRepository, declared: readonly DeclaredDependency[], sink: DiagnosticSink): void {
  // Objects of `cls` follow their own and their ancestors' declarations.
  const edges = (cls: string): DeclaredDependency[] => {
    const lineage = new Set([cls, ...repo.get(cls).ancestors]);
    return declared.filter((d) => lineage.has(d.owner));
  };
  const reported = new Set<string>();
  const search = (start: string, cls: string, chain: DeclaredDependency[]): void => {
    if (chain.length > 16) return;
    for (const d of edges(cls)) {
      if (d.target === cls && chain.length === 0) continue; // a class naming itself: a parent link
      if (d.target === start) {
        report([...chain, d]);
        continue;
      }
      if (chain.some((c) => c.target === d.target)) continue;
      search(start, d.target, [...chain, d]);
    }
  };
  const report = (cycle: DeclaredDependency[]): void => {
    const key = cycle.map((d) => `${d.owner}.${d.path}`).sort().join('|');
    if (reported.has(key) || cycle.length < 2) return;
    reported.add(key);
    const names = [...cycle.map((d) => `${repo.get(d.owner).name}.${d.path}`), repo.get(cycle[0]!.owner).name].join(' → ');
    const first = cycle[0]!;
    sink.warning(MetaCodes.dependencyCycle, `cacheDependencies form a cycle ${names}: ION's cache refresh recurses forever once these objects link each other`, {
      file: first.file,
      pointer: first.pointer,
      className: first.owner,
    });
  };
  for (const cls of new Set(declared.map((d) => d.owner))) search(cls, cls, []);
}
