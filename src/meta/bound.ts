/**
 * Formulas bound to the class model: every path resolved into typed hops with the class at each
 * hop. The dependency graph is computed from these, and the recompute layer can plan its loads
 * from them.
 */
import type { FormulaNode, SourceSpan } from '../formula/ast.ts';
import type { LinkKind, PropertyMeta } from './model.ts';

/**
 * One step of a path: reading `attribute` on an object of class `owner`.
 * `attribute` hops read a stored (or computed) value; the link kinds move to objects of `target`.
 */
export interface Hop {
  readonly kind: 'attribute' | 'system' | LinkKind;
  /** Canonical class the attribute is read on. */
  readonly owner: string;
  readonly attribute: string;
  /** The attribute's definition (absent for system attributes `__class`, `__classTitle`). */
  readonly property: PropertyMeta | undefined;
  /** Class reached, for link hops. */
  readonly target: string | undefined;
  /** A collection hop: later hops apply to each element. */
  readonly many: boolean;
  /** Set when the attribute exists only on this subclass of `owner` (the path works for its objects only). */
  readonly viaSubclass?: string;
}

/** Where a bound path came from in its formula. */
export type PathOrigin =
  /** a `$path` evaluated on the formula's object */
  | 'path'
  /** a `$path` inside a lazy condition, evaluated on each element of an aggregated collection */
  | 'element'
  /** the attribute argument of `sum/avg/min/max/merge`, read on each element */
  | 'attributeArg'
  /** a path of a semantic (display value) */
  | 'semantic';

export interface BoundPath {
  /** Segments from the formula's object (element paths are prefixed with their collection's path). */
  readonly segments: readonly string[];
  readonly hops: readonly Hop[];
  /** A trailing `@`: the display value of the last attribute. */
  readonly display: boolean;
  readonly origin: PathOrigin;
  /** How the value is used: `collection` when it is the collection argument of an aggregation or an emptiness test. */
  readonly use: 'value' | 'collection';
  readonly span: SourceSpan;
}

/** A class-form aggregation (`count("cls", "attr", obj(...))`) or `get(cls, ...)`: reads a whole class. */
export interface BoundClassRead {
  readonly fn: string;
  /** Canonical name of the class read. */
  readonly className: string;
  /** Attributes of that class the result depends on (the aggregated one and the filter's). */
  readonly attributes: readonly string[];
  /**
   * Filter entries whose value is an attribute of the formula's own object: a change of the
   * read class's `attribute` matters only to owners whose `ownerAttribute` equals it.
   */
  readonly ties: readonly { readonly attribute: string; readonly ownerAttribute: string }[];
  readonly span: SourceSpan;
}

/** What a formula is: an attribute's formula, a formula default value, or a semantic. */
export type FormulaRole = 'formula' | 'defaultValue' | 'semantic' | 'propertySemantic';

export interface BoundFormula {
  /** Canonical class the formula is evaluated on (for a property semantic: the linked class). */
  readonly owner: string;
  /** The class that declares it (differs from `owner` for inherited attributes). */
  readonly declaredIn: string;
  /** The attribute (for a class semantic: `__semantic`). */
  readonly attribute: string;
  readonly role: FormulaRole;
  readonly ast: FormulaNode;
  readonly paths: readonly BoundPath[];
  readonly classReads: readonly BoundClassRead[];
}

/** Name under which a class semantic appears among attributes (the stored field of `semanticCached`). */
export const SEMANTIC_ATTRIBUTE = '__semantic';
