/** A change of one object as the recompute sees it: an application change or its own write. */
import type { ClassMeta } from '../meta/index.ts';
import type { StoredDocument } from '../store/port.ts';

/** One change of one object, as the recompute sees it. */
export interface ChangeEvent {
  readonly cls: ClassMeta;
  readonly id: string;
  /** The document now; null when it was deleted. */
  readonly doc: StoredDocument | null;
  /** Old values of the changed fields (for a delete: the whole old document). */
  readonly old: StoredDocument;
  readonly fields: readonly string[];
  /** `computed`: written by the recompute itself. */
  readonly op: 'insert' | 'update' | 'delete' | 'computed';
  /** Set when `old` may lack the old link values (a change stream without pre-images). */
  readonly oldValuesUnknown?: boolean;
}
