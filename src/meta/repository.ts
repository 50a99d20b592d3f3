/**
 * `MetaRepository`: the loaded classes by canonical name, with ION's name resolution (a bare name
 * means "in the same namespace") and the inheritance queries the binder and the graph need.
 */
import type { ClassMeta, PropertyMeta } from './model.ts';

/** `name@namespace`, or `name` when the namespace is empty. */
export const canonicalName = (name: string, namespace: string): string => (namespace ? `${name}@${namespace}` : name);

export class MetaRepository {
  readonly classes: ReadonlyMap<string, ClassMeta>;

  constructor(classes: Iterable<ClassMeta>) {
    this.classes = new Map([...classes].map((c) => [c.canonicalName, c]));
  }

  /**
   * Canonical name of a class as written in meta or a formula, seen from a class of `namespace`:
   * qualified names are exact; bare names are looked up in that namespace, then without one.
   */
  resolve(written: string, namespace: string): string | undefined {
    return resolveClassName(written, namespace, (n) => this.classes.has(n));
  }

  /** The class named `written` as seen from `namespace` (see `resolve`). */
  find(written: string, namespace = ''): ClassMeta | undefined {
    const name = this.resolve(written, namespace);
    return name === undefined ? undefined : this.classes.get(name);
  }

  /** The class by canonical name; throws for an unknown name (a bug in the caller). */
  get(canonical: string): ClassMeta {
    const found = this.classes.get(canonical);
    if (!found) throw new Error(`unknown class ${canonical}`);
    return found;
  }

  /** Whether `sub` is `base` or one of its descendants. */
  isA(sub: string, base: string): boolean {
    return sub === base || (this.classes.get(sub)?.ancestors.includes(base) ?? false);
  }

  /** Whether two classes are on one inheritance line (either is the other or below it). */
  related(a: string, b: string): boolean {
    return this.isA(a, b) || this.isA(b, a);
  }

  /**
   * An attribute that `cls` lacks but one of its descendants declares: ION resolves paths on
   * the actual object, so such a path works for objects of that subclass only.
   */
  findInDescendants(cls: ClassMeta, attribute: string): { cls: ClassMeta; property: PropertyMeta } | undefined {
    // Nearest subclasses first: the one a reader most likely meant.
    const byDepth = cls.descendants
      .map((name) => this.classes.get(name))
      .filter((c): c is ClassMeta => c !== undefined)
      .sort((a, b) => a.ancestors.length - b.ancestors.length);
    for (const sub of byDepth) {
      const property = sub.propertyByName.get(attribute);
      if (property) return { cls: sub, property };
    }
    return undefined;
  }

  /** Every class, in a stable order (by canonical name). */
  list(): ClassMeta[] {
    return [...this.classes.values()].sort((a, b) => a.canonicalName.localeCompare(b.canonicalName));
  }
}

/** Shared by the repository and the builder (which resolves before the repository exists). */
export function resolveClassName(written: string, namespace: string, exists: (name: string) => boolean): string | undefined {
  if (written.includes('@')) return exists(written) ? written : undefined;
  const local = canonicalName(written, namespace);
  if (exists(local)) return local;
  return exists(written) ? written : undefined;
}
