/**
 * Inferred dependencies against declared `cacheDependencies`. ION follows only the declared
 * paths, from the changed object, and cascades through the reached objects' own declarations;
 * a dependency the formulas imply that no such chain covers leaves stale values in ION, and a
 * declared path that no formula needs only costs recomputation.
 */
import type { DeclaredDependency } from '../check-cache-deps.ts';
import type { ClassMeta } from '../model.ts';
import type { MetaRepository } from '../repository.ts';
import type { DeclaredEdge, ReverseStep, Trigger, UndeclaredEdge } from './types.ts';

/** The attribute of the changed object (class `cls`) that leads where `step` goes, if any. */
function forwardAttribute(repo: MetaRepository, cls: ClassMeta, step: ReverseStep): string | undefined {
  switch (step.kind) {
    case 'backReference':
    case 'backRefCollection':
      // With `binding` the field holds the owner's binding value, not its key: not a link.
      return step.binding ? undefined : step.field;
    case 'backColl':
      return step.mirror || undefined;
    case 'reference':
      return find(repo, cls, (p) => (p.link?.kind === 'backReference' || p.link?.kind === 'backRefCollection') && p.link.backRef === step.field && !p.link.binding && related(repo, p.link.target, step.to));
    case 'idArray':
      return find(repo, cls, (p) => p.link?.kind === 'backColl' && p.link.mirror === step.field && related(repo, p.link.target, step.to));
    case 'classScan':
      return undefined;
  }
}

const related = (repo: MetaRepository, a: string | undefined, b: string): boolean => a !== undefined && repo.related(a, b);

function find(repo: MetaRepository, cls: ClassMeta, test: (p: ClassMeta['properties'][number]) => boolean): string | undefined {
  return cls.properties.find(test)?.name;
}

/** The trigger's reverse steps as a forward attribute path from the changed class, when one exists. */
export function forwardPath(repo: MetaRepository, trigger: Trigger): string | undefined {
  const stack: { name: string; from: ClassMeta }[] = [];
  let cls = repo.get(trigger.class);
  for (const step of trigger.reverse) {
    const name = forwardAttribute(repo, cls, step);
    if (!name) return undefined;
    // `children.parent` leads back to the object it started from: drop the round trip.
    const top = stack[stack.length - 1];
    const link = top?.from.propertyByName.get(top.name)?.link;
    if (top && (link?.kind === 'backReference' || link?.kind === 'backRefCollection') && link.backRef === name && !link.binding) {
      stack.pop();
      cls = top.from;
      continue;
    }
    stack.push({ name, from: cls });
    cls = repo.get(step.to);
  }
  return stack.map((s) => s.name).join('.');
}

/** Whether ION's cascade from an object of `cls` along its declared paths reaches `segments`. */
function covered(repo: MetaRepository, declared: ReadonlyMap<string, readonly DeclaredDependency[]>, cls: ClassMeta, segments: readonly string[], depth = 0): boolean {
  if (segments.length === 0) return true;
  if (depth > 16) return false;
  const own = [cls.canonicalName, ...cls.ancestors].flatMap((c) => declared.get(c) ?? []);
  return own.some((d) => {
    const parts = d.path.split('.');
    if (parts.length > segments.length || parts.some((p, i) => p !== segments[i])) return false;
    return covered(repo, declared, repo.get(d.target), segments.slice(parts.length), depth + 1);
  });
}

export interface Comparison {
  readonly declared: DeclaredEdge[];
  readonly undeclared: UndeclaredEdge[];
}

export function compareDeclared(repo: MetaRepository, triggers: readonly Trigger[], declaredDeps: readonly DeclaredDependency[]): Comparison {
  const byClass = new Map<string, DeclaredDependency[]>();
  for (const d of declaredDeps) byClass.set(d.owner, [...(byClass.get(d.owner) ?? []), d]);

  const inferred: { cls: string; path: string }[] = [];
  const undeclared = new Map<string, { edge: Omit<UndeclaredEdge, 'fields'>; fields: Set<string> }>();
  for (const t of triggers) {
    if (t.reverse.length === 0) continue; // the object itself: ION recomputes it on every edit
    const path = forwardPath(repo, t);
    if (path === '') continue; // a round trip back to the changed object itself
    if (path !== undefined) {
      inferred.push({ cls: t.class, path });
      if (covered(repo, byClass, repo.get(t.class), path.split('.'))) continue;
    }
    const key = `${t.class}|${path ?? ''}|${t.target.class}|${t.target.attribute}`;
    const entry = undeclared.get(key) ?? { edge: { class: t.class, path, target: t.target }, fields: new Set<string>() };
    entry.fields.add(t.field);
    undeclared.set(key, entry);
  }

  const declared = declaredDeps.map((d): DeclaredEdge => {
    const needed = inferred.some((i) => repo.related(i.cls, d.owner) && (i.path === d.path || i.path.startsWith(`${d.path}.`)));
    return { class: d.owner, path: d.path, reaches: d.target, needed };
  });
  return {
    declared,
    undeclared: [...undeclared.values()].map(({ edge, fields }) => ({ ...edge, fields: [...fields].sort() })),
  };
}
