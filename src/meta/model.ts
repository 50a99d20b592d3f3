/**
 * The class model after loading: canonical names resolved, inheritance applied, attributes in
 * evaluation order, links typed. Built by `buildRepository`; everything else in `meta/` reads it.
 */
import type { PropertyTypeCode } from './property-types.ts';

/** Where a definition came from: the file and the JSON pointer of the definition in it. */
export interface MetaLocation {
  readonly file: string;
  readonly pointer: string;
}

/**
 * How an attribute links to other objects (ion-spec §2.6):
 * - `reference`: stores the target's key;
 * - `backReference`: stores nothing; the target is the `refClass` object whose `backRef` attribute
 *   holds this object's key (or its `binding` value);
 * - `idArray`: a collection stored as an array of the items' keys;
 * - `backRefCollection`: stores nothing; the items are the `itemsClass` objects whose `backRef`
 *   attribute holds this object's key (or its `binding` value);
 * - `backColl`: a many-to-many pair, both sides store key arrays (`mirror` names the other side);
 * - `struct`: a STRUCT stored flattened into `attr$field` fields.
 */
export type LinkKind = 'reference' | 'backReference' | 'idArray' | 'backRefCollection' | 'backColl' | 'struct';

export interface LinkMeta {
  readonly kind: LinkKind;
  /** Canonical name of the class linked to (`refClass` / `itemsClass`), when it exists. */
  readonly target: string | undefined;
  /** The name as written in the file. */
  readonly targetAsWritten: string;
  /** `backRef`: the attribute of the target class that points back here. */
  readonly backRef?: string;
  /** `backColl`: the mirror collection on the target class. */
  readonly mirror?: string;
  /** `binding`: the attribute of this class whose value the target's `backRef` holds (default: the key). */
  readonly binding?: string;
  /** True for collections (14): a path through it yields arrays. */
  readonly many: boolean;
}

export interface PropertyMeta {
  readonly name: string;
  readonly caption: string;
  readonly type: PropertyTypeCode | number;
  readonly orderNumber: number;
  /** Canonical name of the class that declares this (possibly inherited) definition. */
  readonly declaredIn: string;
  readonly link: LinkMeta | undefined;
  /** The formula as written (string or object), `undefined` when not calculated. */
  readonly formula: unknown;
  readonly cached: boolean;
  readonly defaultValue: unknown;
  /** Property `semantic` (display of linked objects), when non-empty. */
  readonly semantic: unknown;
  readonly unique: boolean;
  readonly indexed: boolean;
  readonly nullable: boolean;
  readonly autoassigned: boolean;
  /** SIMPLE selection list keys → labels, when present. */
  readonly selectionList: ReadonlyMap<string, string> | undefined;
  readonly location: MetaLocation;
  /** The raw property object, for fields the model does not type. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Where objects of a class live in MongoDB (ion-spec §2.5). */
export interface StorageMeta {
  /** Canonical name of the root of the inheritance tree. */
  readonly rootClass: string;
  /** `<namespace>_<rootName>`, or `<rootName>` without a namespace. */
  readonly collection: string;
  /** Value of `_class` in this class's documents. */
  readonly discriminator: string;
  /** `_class` values a query for this class matches: itself and every descendant. */
  readonly discriminators: readonly string[];
}

export interface ClassMeta {
  /** `name@namespace`, or `name` without a namespace. */
  readonly canonicalName: string;
  readonly name: string;
  readonly namespace: string;
  readonly caption: string;
  readonly version: string;
  readonly abstract: boolean;
  /** Canonical name of the parent class. */
  readonly ancestor: string | undefined;
  /** Ancestors nearest first. */
  readonly ancestors: readonly string[];
  /** Every class below this one, at any depth. */
  readonly descendants: readonly string[];
  /** Key attribute names (own, or inherited when the own key is empty). */
  readonly key: readonly string[];
  /** Class semantic (own, or inherited when empty). */
  readonly semantic: unknown;
  /** Own `semanticCached` only: ION does not inherit it. */
  readonly semanticCached: boolean;
  /** Ancestor lists first, then own. */
  readonly cacheDependencies: readonly string[];
  /** Own `cacheDependencies` with their locations (for reports). */
  readonly ownCacheDependencies: readonly { readonly path: string; readonly location: MetaLocation }[];
  /** Inherited and own attributes in evaluation order (orderNumber, ties in declaration order). */
  readonly properties: readonly PropertyMeta[];
  /** Attribute names in declaration order, ancestors' first (an override keeps the inherited slot). */
  readonly declarationOrder: readonly string[];
  readonly propertyByName: ReadonlyMap<string, PropertyMeta>;
  readonly storage: StorageMeta;
  readonly location: MetaLocation;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Attributes every class has (ion-spec §1.4): the object's class name and its caption. */
export const SYSTEM_ATTRIBUTES: ReadonlySet<string> = new Set(['__class', '__classTitle']);
