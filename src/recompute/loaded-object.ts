/**
 * An object loaded for one batch: its class, its stored document, the links resolved so far and
 * the values computed on demand (non-cached formulas, semantic). One instance per object per
 * session (an identity map), so a formula that reaches an object twice sees the same instance
 * and its non-cached formulas run once.
 */
import type { ClassMeta } from '../meta/index.ts';
import type { StoredDocument } from '../store/port.ts';

/** A resolved link: an object (reference), objects in storage order (collection), or null. */
export type LinkValue = LoadedObject | readonly LoadedObject[] | null;

export class LoadedObject {
  /** Links resolved so far, by attribute. */
  readonly links = new Map<string, LinkValue>();
  /** Non-cached formula values computed on demand (memoized only when computed over complete data). */
  readonly computed = new Map<string, unknown>();
  /** Formulas of this object being evaluated now (a data cycle reads the stored value instead). */
  readonly computing = new Set<string>();
  /** The semantic, memoized like `computed`. */
  semantic: string | undefined;
  semanticComputing = false;

  constructor(
    readonly cls: ClassMeta,
    readonly doc: StoredDocument,
    /** Key values joined by `_`. */
    readonly id: string,
    /** A ghost stands for an object's old state (old link values): it is never written. */
    readonly ghost = false,
  ) {}

  /** Drops everything computed, so it is evaluated again over the current state. */
  forgetComputed(): void {
    if (this.computed.size > 0) this.computed.clear();
    this.semantic = undefined;
  }
}
