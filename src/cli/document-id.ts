/** The ION id of a stored document, from its class's key (for journaled imports). */
import { objectId, type MetaModel } from '../meta/index.ts';
import type { StoredDocument } from '../store/port.ts';
import { CliError } from './io.ts';

export function docIdOf(meta: MetaModel): (doc: StoredDocument) => string {
  return (doc) => {
    const cls = typeof doc._class === 'string' ? meta.repository.find(doc._class) : undefined;
    const id = cls ? objectId(cls, doc) : undefined;
    if (!id) throw new CliError(`document without a key: ${JSON.stringify(doc).slice(0, 120)}`, 1);
    return id;
  };
}
