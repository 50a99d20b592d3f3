/**
 * Builds the `DependencyGraph` from bound formulas: targets (cached attributes, cached
 * semantics) with what they read, triggers indexed by (class, field), and the comparison with the
 * declared `cacheDependencies`.
 */
import { SEMANTIC_ATTRIBUTE, type BoundFormula } from '../bound.ts';
import type { DeclaredDependency } from '../check-cache-deps.ts';
import type { MetaRepository } from '../repository.ts';
import { compareDeclared } from './declared.ts';
import { expandFormula, FormulaIndex } from './expand.ts';
import { lookupIndexes, type LookupIndex } from './indexes.ts';
import { triggersOf } from './triggers.ts';
import type { CacheTarget, DeclaredEdge, ReadEdge, Trigger, UndeclaredEdge } from './types.ts';

export class DependencyGraph {
  /** Every cached value, by class then evaluation order. */
  readonly targets: readonly CacheTarget[];
  /** Every trigger, in target order. */
  readonly triggers: readonly Trigger[];
  readonly declared: readonly DeclaredEdge[];
  readonly undeclared: readonly UndeclaredEdge[];
  private readonly byField = new Map<string, Trigger[]>();

  constructor(
    private readonly repo: MetaRepository,
    targets: readonly CacheTarget[],
    triggers: readonly Trigger[],
    declared: readonly DeclaredEdge[],
    undeclared: readonly UndeclaredEdge[],
  ) {
    this.targets = targets;
    this.triggers = triggers;
    this.declared = declared;
    this.undeclared = undeclared;
    for (const t of triggers) {
      const key = `${t.class}\u0000${t.field}`;
      const list = this.byField.get(key);
      if (list) list.push(t);
      else this.byField.set(key, [t]);
    }
  }

  /**
   * Triggers fired when `field` changes on an object of class `className`: those registered on
   * the class and on its ancestors (a descendant has every attribute of its ancestors).
   */
  triggersOf(className: string, field: string): Trigger[] {
    const cls = this.repo.classes.get(className);
    const classes = cls ? [cls.canonicalName, ...cls.ancestors] : [className];
    return classes.flatMap((c) => this.byField.get(`${c}\u0000${field}`) ?? []);
  }

  /** Triggers fired by a change of any of `fields` (for a created or deleted object: all its fields). */
  dependantsOf(className: string, fields: Iterable<string>): Trigger[] {
    return [...new Set(fields)].flatMap((f) => this.triggersOf(className, f));
  }

  /** The fields reverse steps look objects up by: the indexes a store needs for cascades. */
  lookupIndexes(): LookupIndex[] {
    return lookupIndexes(this.repo, this.triggers);
  }

  /** Whether a change of `field` on `className` matters to any cached value. */
  isWatched(className: string, field: string): boolean {
    return this.triggersOf(className, field).length > 0;
  }

  /** The cached values of objects of one class (inherited ones included, overrides applied), in evaluation order. */
  targetsOf(className: string): CacheTarget[] {
    const cls = this.repo.classes.get(className);
    if (!cls) return [];
    const own = new Set([cls.canonicalName, ...cls.ancestors]);
    const byAttribute = new Map<string, CacheTarget>();
    // Ancestors first so a subclass override replaces the inherited target.
    for (const c of [...cls.ancestors].reverse().concat(cls.canonicalName)) {
      for (const t of this.targets) if (t.class === c && own.has(c) && (t.kind === 'attribute' || c === cls.canonicalName)) byAttribute.set(t.attribute, t);
    }
    // Evaluation order: the class's attribute order (orderNumber, ties in declaration order), semantic last.
    const position = new Map(cls.properties.map((p, i) => [p.name, i]));
    return [...byAttribute.values()].sort((a, b) => (position.get(a.attribute) ?? Infinity) - (position.get(b.attribute) ?? Infinity));
  }
}

export function buildDependencyGraph(repo: MetaRepository, formulas: readonly BoundFormula[], declaredDeps: readonly DeclaredDependency[]): DependencyGraph {
  const index = new FormulaIndex(formulas);
  const targets: CacheTarget[] = [];
  const triggers: Trigger[] = [];
  for (const cls of repo.list()) {
    const sources: { formula: BoundFormula; kind: CacheTarget['kind']; orderNumber: number }[] = [];
    for (const property of cls.properties) {
      if (property.declaredIn !== cls.canonicalName || !property.cached) continue;
      const formula = index.formula(cls.canonicalName, property.name);
      if (formula) sources.push({ formula, kind: 'attribute', orderNumber: property.orderNumber });
    }
    const semantic = cls.semanticCached ? index.semantic(cls.canonicalName) : undefined;
    if (semantic) sources.push({ formula: semantic, kind: 'semantic', orderNumber: Number.POSITIVE_INFINITY });
    for (const { formula, kind, orderNumber } of sources) {
      const ref = { class: cls.canonicalName, attribute: kind === 'semantic' ? SEMANTIC_ATTRIBUTE : formula.attribute };
      const own = triggersOf(ref, expandFormula(repo, index, formula));
      triggers.push(...own);
      targets.push({ ...ref, kind, orderNumber, reads: readsOf(own) });
    }
  }
  const { declared, undeclared } = compareDeclared(repo, triggers, declaredDeps);
  return new DependencyGraph(repo, targets, triggers, declared, undeclared);
}

function readsOf(triggers: readonly Trigger[]): ReadEdge[] {
  const seen = new Set<string>();
  const out: ReadEdge[] = [];
  for (const t of triggers) {
    const key = `${t.class}.${t.field}|${t.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ class: t.class, attribute: t.field, kind: t.kind, path: t.path });
  }
  return out;
}
