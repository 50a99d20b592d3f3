/**
 * From a stored document to the object it is: the class (`_class`) and the ION id (the key
 * values joined by `_`, ion-spec §2.5). The key fields come from the meta, injected, so the feed
 * stays ignorant of class files.
 */
import type { ObjectRef } from '../queue/object-ref.ts';

/** Names the object a document is, or `null` when it cannot (no `_class`, unknown class, missing key). */
export type IdentifyObject = (collection: string, document: Readonly<Record<string, unknown>>) => ObjectRef | null;

/** An {@link IdentifyObject} from the key fields of each class (`undefined` for an unknown class). */
export function identifyByKeys(keyFieldsOf: (className: string) => readonly string[] | undefined): IdentifyObject {
  return (_collection, document) => {
    const className = document._class;
    if (typeof className !== 'string') return null;
    const keys = keyFieldsOf(className);
    if (!keys || keys.length === 0) return null;
    const parts: string[] = [];
    for (const key of keys) {
      const value = document[key];
      if (value === undefined || value === null) return null;
      parts.push(value instanceof Date ? value.toISOString() : String(value));
    }
    return { className, id: parts.join('_') };
  };
}
