/**
 * Reading and writing documents as `mongoexport` does: MongoDB Extended JSON (relaxed mode by
 * default: `{"$date": …}`, `{"$oid": …}`, `{"$numberLong": …}` where a plain number would lose
 * precision; a 64-bit integer beyond 2^53 keeps `{"$numberLong": …}` so nothing is rounded), either a JSON array or one document per line. ION's `data/*.json` files (one
 * pretty-printed document per file) and the conformance worlds' `data.json` (an array) read the same way.
 */
import { EJSON } from 'bson';
import { StoreUsageError } from '../errors.ts';
import type { StoredDocument } from '../port.ts';

/** How a file lays documents out. */
export type DocumentFileFormat = 'array' | 'lines';

function asDocument(value: unknown, where: string): StoredDocument {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new StoreUsageError(`${where}: expected a document (a JSON object)`);
  }
  return value as StoredDocument;
}

type Bson = { _bsontype?: string; valueOf(): unknown; toString(): string };

/**
 * Plain JS values where nothing is lost: Int32 and Double become numbers, a Long becomes a number
 * when it is a safe integer and stays a Long otherwise (bson's relaxed mode would round it).
 */
function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(toPlain);
  const tag = (value as Bson)._bsontype;
  if (tag === 'Int32' || tag === 'Double') return Number((value as Bson).valueOf());
  if (tag === 'Long') {
    const n = Number((value as Bson).toString());
    return Number.isSafeInteger(n) ? n : value;
  }
  if (tag !== undefined) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = toPlain(record[key]);
  return record;
}

// The inverse concern on output: relaxed mode would print an unsafe Long as a rounded number.
function forOutput(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(forOutput);
  const tag = (value as Bson)._bsontype;
  if (tag === 'Long') {
    const text = (value as Bson).toString();
    return Number.isSafeInteger(Number(text)) ? Number(text) : { $numberLong: text };
  }
  if (tag !== undefined) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forOutput(v)]));
}

function parseExtended(text: string): unknown {
  return toPlain(EJSON.parse(text, { relaxed: false }));
}

function parseOne(text: string, where: string): unknown {
  try {
    return parseExtended(text);
  } catch (error) {
    throw new StoreUsageError(`${where}: not Extended JSON (${(error as Error).message})`);
  }
}

/**
 * Parses a file's text: a JSON array of documents, a single document (possibly spread over many
 * lines), or one document per line (blank lines ignored). `source` names the file in errors.
 */
export function parseDocuments(text: string, source = 'input'): StoredDocument[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('[')) {
    const parsed = parseOne(trimmed, source);
    if (!Array.isArray(parsed)) throw new StoreUsageError(`${source}: expected an array of documents`);
    return parsed.map((doc, i) => asDocument(doc, `${source}[${i}]`));
  }
  try {
    return [asDocument(parseExtended(trimmed), source)];
  } catch {
    // More than one document: one per line, as mongoexport writes them.
  }
  return trimmed.split('\n').flatMap((line, i) =>
    line.trim() === '' ? [] : [asDocument(parseOne(line, `${source}:${i + 1}`), `${source}:${i + 1}`)]);
}

/** Options of {@link formatDocuments}. */
export interface FormatOptions {
  /** `lines` (default, as mongoexport) or `array` (`mongoexport --jsonArray`). */
  readonly format?: DocumentFileFormat;
  /** Canonical Extended JSON (`{"$numberInt": …}`…) instead of relaxed (default `false`). */
  readonly canonical?: boolean;
}

/** One document as a line of Extended JSON. */
export function formatDocument(doc: StoredDocument, canonical = false): string {
  return canonical ? EJSON.stringify(doc, { relaxed: false }) : EJSON.stringify(forOutput(doc), { relaxed: true });
}

/** Documents as file text (ending with a newline when not empty). */
export function formatDocuments(docs: readonly StoredDocument[], options: FormatOptions = {}): string {
  const lines = docs.map((doc) => formatDocument(doc, options.canonical));
  if (options.format === 'array') return `[${lines.join(',\n')}]\n`;
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
