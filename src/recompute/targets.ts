/**
 * The cached values of a class, in evaluation order (ion-spec §1.9, §4.2): every cached attribute
 * with a formula (inherited and own, by `orderNumber`, ties in declaration order — the meta
 * layer's property order), then `__semantic` when the class itself is `semanticCached`.
 */
import { SEMANTIC_ATTRIBUTE } from '../meta/bound.ts';
import type { ClassMeta, PropertyMeta } from '../meta/index.ts';

export interface CachedTarget {
  readonly attribute: string;
  /** Undefined for `__semantic`. */
  readonly property: PropertyMeta | undefined;
  /** Position in evaluation order. */
  readonly index: number;
}

const byClass = new WeakMap<ClassMeta, readonly CachedTarget[]>();

export function cachedTargets(cls: ClassMeta): readonly CachedTarget[] {
  let targets = byClass.get(cls);
  if (!targets) {
    const list: CachedTarget[] = [];
    for (const property of cls.properties) {
      // `cached: true` without a formula is legal and harmless: the stored value stays.
      if (property.cached && property.formula !== undefined && property.formula !== null) {
        list.push({ attribute: property.name, property, index: list.length });
      }
    }
    if (cls.semanticCached) list.push({ attribute: SEMANTIC_ATTRIBUTE, property: undefined, index: list.length });
    targets = list;
    byClass.set(cls, targets);
  }
  return targets;
}

/** Whether objects of the class hold cached values. */
export function hasTargets(cls: ClassMeta): boolean {
  return cachedTargets(cls).length > 0;
}
