/**
 * The order classes are recomputed in: a class whose cached values read cached values of another
 * class comes after it (world C: `line.sum` → `invoice.total` → `person.invoiceTotal`), so one
 * pass in this order settles acyclic dependencies. Classes that read each other (a cycle, e.g. a
 * parent link) share a rank; the cascade settles them. Ties are broken by class name, so the
 * order is deterministic.
 */
import type { ClassMeta, MetaModel } from '../meta/index.ts';
import { cachedTargets, hasTargets } from './targets.ts';

export class ClassOrder {
  /** Classes with cached values, in recompute order. */
  readonly classes: readonly string[];
  private readonly rank = new Map<string, number>();

  constructor(meta: MetaModel) {
    const repo = meta.repository;
    const withTargets = repo.list().filter((c) => hasTargets(c));
    const producers = (readClass: string, attribute: string): ClassMeta[] =>
      withTargets.filter((x) => repo.related(x.canonicalName, readClass) && cachedTargets(x).some((t) => t.attribute === attribute));
    const edges = new Map<string, Set<string>>(withTargets.map((c) => [c.canonicalName, new Set<string>()]));
    for (const k of withTargets) {
      for (const target of meta.graph.targetsOf(k.canonicalName)) {
        for (const read of target.reads) {
          for (const x of producers(read.class, read.attribute)) edges.get(x.canonicalName)!.add(k.canonicalName);
        }
      }
    }
    const components = stronglyConnected([...edges.keys()].sort(), edges);
    const order = topologicalOrder(components, edges);
    order.forEach((component, i) => component.forEach((name) => this.rank.set(name, i)));
    this.classes = order.flat();
  }

  /** The rank of a class (classes without cached values: -1). */
  rankOf(className: string): number {
    return this.rank.get(className) ?? -1;
  }

  /** Compares two classes by rank, then name. */
  compare(a: string, b: string): number {
    return this.rankOf(a) - this.rankOf(b) || (a < b ? -1 : a > b ? 1 : 0);
  }
}

/** Tarjan's algorithm; each component sorted by name. */
function stronglyConnected(nodes: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of [...(edges.get(v) ?? [])].sort()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return out;
}

/** Kahn's algorithm over the components, the ready one with the smallest first name first. */
function topologicalOrder(components: string[][], edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const componentOf = new Map<string, number>();
  components.forEach((c, i) => c.forEach((n) => componentOf.set(n, i)));
  const successors = components.map(() => new Set<number>());
  const indegree = components.map(() => 0);
  for (const [from, tos] of edges) {
    for (const to of tos) {
      const a = componentOf.get(from)!;
      const b = componentOf.get(to)!;
      if (a !== b && !successors[a]!.has(b)) {
        successors[a]!.add(b);
        indegree[b]!++;
      }
    }
  }
  const ready = components.map((_, i) => i).filter((i) => indegree[i] === 0);
  const out: string[][] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => (components[a]![0]! < components[b]![0]! ? -1 : 1));
    const next = ready.shift()!;
    out.push(components[next]!);
    for (const s of successors[next]!) if (--indegree[s]! === 0) ready.push(s);
  }
  return out;
}
