/**
 * The dependency graph the recompute engine consumes: for every cached value, what it reads; and,
 * inverted, for a change of field `f` on an object of class `X`, which objects to recompute,
 * found by following reverse steps that each is one indexed query (see docs/meta.md).
 */

/** A cached value: a cached attribute, or the `__semantic` of a `semanticCached` class. */
export interface TargetRef {
  /** Canonical class the formula is declared in (its descendants inherit it unless they override). */
  readonly class: string;
  /** Attribute name, or `__semantic`. */
  readonly attribute: string;
}

/**
 * One step from a changed object back to the objects that read it. Each is answerable by one
 * query from the changed object (and, for link fields, from its old values too):
 * - `reference`: objects of `to` whose reference `field` holds the changed object's key;
 * - `idArray`: objects of `to` whose id array `field` contains the changed object's key;
 * - `backColl`: the objects of `to` listed in the changed object's `mirror` array (equivalently:
 *   whose `field` array contains its key);
 * - `backReference` / `backRefCollection`: the object of `to` whose key — or `binding` attribute
 *   when set — equals the changed object's `field` (the `backRef` attribute);
 * - `classScan`: every object of `to` (a class-form aggregation or `get`), narrowed to those whose
 *   `ownerAttribute` equals the changed object's `attribute` for each tie.
 */
export type ReverseStep =
  | { readonly kind: 'reference'; readonly to: string; readonly field: string }
  | { readonly kind: 'idArray'; readonly to: string; readonly field: string }
  | { readonly kind: 'backColl'; readonly to: string; readonly field: string; readonly mirror: string }
  | { readonly kind: 'backReference' | 'backRefCollection'; readonly to: string; readonly field: string; readonly binding?: string }
  | {
      readonly kind: 'classScan';
      readonly to: string;
      readonly ties: readonly { readonly attribute: string; readonly ownerAttribute: string }[];
    };

/**
 * Why a field matters: `value` — its value is read; `link` — it decides which objects a path
 * reaches (a reference, an id array, a `backRef` attribute), so both the objects it points to now
 * and those it pointed to before the change are affected; `class` — it is read by a class-wide query.
 */
export type TriggerKind = 'value' | 'link' | 'class';

/** When field `field` of an object of class `class` (or a descendant) changes, recompute `target` on the objects reached by `reverse`. */
export interface Trigger {
  readonly class: string;
  readonly field: string;
  readonly kind: TriggerKind;
  readonly target: TargetRef;
  /** From the changed object to the objects owning `target`; empty: the changed object itself. */
  readonly reverse: readonly ReverseStep[];
  /** The path of the formula this comes from, from the target's object (`raionObslu.oktmo_nasPunkta.svyaz.ops.gops`). */
  readonly path: string;
}

/** What a cached value reads: (class, attribute) and the path from the target's object. */
export interface ReadEdge {
  readonly class: string;
  readonly attribute: string;
  readonly kind: TriggerKind;
  readonly path: string;
}

export interface CacheTarget extends TargetRef {
  readonly kind: 'attribute' | 'semantic';
  /** Evaluation order within the object (`orderNumber`; semantics: +∞ → last). */
  readonly orderNumber: number;
  readonly reads: readonly ReadEdge[];
}

/** A `cacheDependencies` entry compared with what the formulas need. */
export interface DeclaredEdge {
  readonly class: string;
  readonly path: string;
  /** Class of the objects the path reaches. */
  readonly reaches: string;
  /** Some inferred dependency goes through it (directly or as the first link of a cascade). */
  readonly needed: boolean;
}

/** A dependency the formulas imply that no `cacheDependencies` entry (or cascade of them) covers. */
export interface UndeclaredEdge {
  /** Class whose change goes unnoticed by ION. */
  readonly class: string;
  /** The forward path from that class to the objects to refresh; undefined when no attribute path exists (class scans, one-way id arrays). */
  readonly path: string | undefined;
  readonly target: TargetRef;
  /** Fields of `class` whose change is concerned. */
  readonly fields: readonly string[];
}
