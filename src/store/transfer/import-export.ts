/**
 * Moving documents between files and any store through the port. The store does not know meta,
 * so the caller says which collection each document belongs to (`collectionOf`, normally
 * `<namespace>_<rootClass>` from `_class`).
 */
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { StoredDocument, StorePort } from '../port.ts';
import { formatDocument, parseDocuments, type DocumentFileFormat } from './extended-json.ts';

/** Options of {@link importDocuments} and {@link importPath}. */
export interface ImportOptions {
  /** The collection of a document. */
  readonly collectionOf: (doc: StoredDocument) => string;
  /**
   * When given, documents are inserted as application inserts (journaled, under this id); by
   * default they are bulk-loaded without journal, as ION's import does (caches are rebuilt after).
   */
  readonly idOf?: (doc: StoredDocument) => string;
  /** Documents per write batch (default 1000). */
  readonly batchSize?: number;
}

/** Writes documents into their collections, keeping their order within each collection; returns how many. */
export async function importDocuments(store: StorePort, docs: readonly StoredDocument[], options: ImportOptions): Promise<number> {
  const batchSize = options.batchSize ?? 1000;
  const pending = new Map<string, StoredDocument[]>();
  const flush = async (collection: string, batch: StoredDocument[]) => {
    pending.delete(collection);
    if (options.idOf) await store.insert(collection, batch.map((doc) => ({ id: options.idOf!(doc), doc })));
    else await store.load(collection, batch);
  };
  for (const doc of docs) {
    const collection = options.collectionOf(doc);
    const batch = pending.get(collection) ?? [];
    pending.set(collection, batch);
    batch.push(doc);
    if (batch.length >= batchSize) await flush(collection, batch);
  }
  for (const [collection, batch] of [...pending]) await flush(collection, batch);
  return docs.length;
}

/** The `.json` files of a directory in name order, or the file itself. */
function filesAt(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).filter((name) => name.endsWith('.json')).sort().map((name) => join(path, name));
}

/**
 * Imports a file (a mongoexport file: array or one document per line; a `data.json` array; one
 * ION `data/*.json` document) or every `.json` file of a directory (ION's `data/` folder, in name
 * order). Returns how many documents were written.
 */
export async function importPath(store: StorePort, path: string, options: ImportOptions): Promise<number> {
  let count = 0;
  for (const file of filesAt(path)) {
    count += await importDocuments(store, parseDocuments(readFileSync(file, 'utf8'), file), options);
  }
  return count;
}

/** Options of {@link exportPath}. */
export interface ExportOptions {
  /** The collections to export, in this order (default: every collection, sorted). */
  readonly collections?: readonly string[];
  /** `lines` (default, as mongoexport) or `array`. */
  readonly format?: DocumentFileFormat;
  /** Canonical instead of relaxed Extended JSON. */
  readonly canonical?: boolean;
}

/**
 * Writes the documents of the collections to one file, collection after collection, each in
 * storage order, streamed batch by batch. Returns how many documents were written.
 */
export async function exportPath(store: StorePort, path: string, options: ExportOptions = {}): Promise<number> {
  const collections = options.collections ?? await store.listCollections();
  const out = createWriteStream(path, { encoding: 'utf8' });
  const closed = once(out, 'close');
  const array = options.format === 'array';
  let count = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  try {
    if (array) await write('[');
    for (const collection of collections) {
      for await (const batch of store.scan(collection, null)) {
        const text = batch.map((doc) => formatDocument(doc, options.canonical));
        await write(array ? (count > 0 ? ',\n' : '') + text.join(',\n') : `${text.join('\n')}\n`);
        count += batch.length;
      }
    }
    if (array) await write(']\n');
  } finally {
    out.end();
    await closed;
  }
  return count;
}
