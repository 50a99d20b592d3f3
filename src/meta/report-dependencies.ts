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
