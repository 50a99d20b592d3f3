/**
 * `cacheDependencies` paths must lead, attribute by attribute, to objects: every segment an
 * attribute, the last one a reference or collection (ION silently ignores anything else).
 */
import { bindPath, endClass } from './bind-path.ts';
import type { Hop } from './bound.ts';
import { MetaCodes } from './diagnostics.ts';
import type { MetaRepository } from './repository.ts';
import type { DiagnosticSink } from './sink.ts';

/** A declared dependency, bound: from objects of `owner` along `hops` to the objects to refresh. */
export interface DeclaredDependency {
  readonly owner: string;
  readonly path: string;
  readonly hops: readonly Hop[];
  /** Class of the objects reached. */
  readonly target: string;
  readonly file: string;
  readonly pointer: string;
}

export function checkCacheDependencies(repo: MetaRepository, sink: DiagnosticSink): DeclaredDependency[] {
  const declared: DeclaredDependency[] = [];
  for (const cls of repo.list()) {
    for (const dep of cls.ownCacheDependencies) {
      const scope = { file: dep.location.file, pointer: dep.location.pointer, className: cls.canonicalName };
      const binding = bindPath(repo, cls, dep.path.split('.'));
      for (const p of binding.problems) {
        const code = p.severity === 'error' ? MetaCodes.badCacheDependency : p.code;
        sink.report(code, p.severity, `cacheDependencies "${dep.path}": ${p.message}`, scope);
      }
      if (!binding.complete) continue;
      const target = endClass(binding.hops);
      if (!target) {
        const last = binding.hops[binding.hops.length - 1]!;
        sink.error(MetaCodes.badCacheDependency, `cacheDependencies "${dep.path}" ends on ${last.attribute}, which is not a reference or collection`, scope);
        continue;
      }
      declared.push({ owner: cls.canonicalName, path: dep.path, hops: binding.hops, target, ...dep.location });
    }
  }
  return declared;
}
