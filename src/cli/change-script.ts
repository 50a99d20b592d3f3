/**
 * Change scripts: one JSON line per application change, `{"op": "insert"|"update"|"delete",
 * "class", "id", "doc"|"set"|"unset"}` (values in Extended JSON, e.g. `{"$date": …}`). Read by
 * `recalc apply` (writes them as an application would) and `recalc replay`.
 */
import { readFileSync } from 'node:fs';
import { EJSON } from 'bson';
import { keyValues, type ClassMeta, type MetaModel } from '../meta/index.ts';
import type { StoredDocument, StorePort } from '../store/port.ts';
import { CliError } from './io.ts';

export type ScriptChange =
  | { readonly op: 'insert'; readonly class: string; readonly id: string; readonly doc: StoredDocument; readonly line: number }
  | {
      readonly op: 'update';
      readonly class: string;
      readonly id: string;
      readonly set: StoredDocument;
      readonly unset: readonly string[];
      readonly line: number;
    }
  | { readonly op: 'delete'; readonly class: string; readonly id: string; readonly line: number };

const KEYS: Record<ScriptChange['op'], readonly string[]> = {
  insert: ['op', 'class', 'id', 'doc'],
  update: ['op', 'class', 'id', 'set', 'unset'],
  delete: ['op', 'class', 'id'],
};

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Parses and validates a change script against the meta: every line is checked (JSON, op, known
 * class, id, fields) and all problems are reported at once, each with `file:line`.
 */
export function parseChangeScript(text: string, file: string, meta: MetaModel): ScriptChange[] {
  const changes: ScriptChange[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const fail = (message: string): void => {
      problems.push(`${file}:${line}: ${message}`);
    };
    let value: unknown;
    try {
      value = EJSON.parse(raw, { relaxed: true });
    } catch (error) {
      fail(`not valid JSON: ${(error as Error).message}`);
      return;
    }
    if (!isRecord(value)) return fail('a change must be a JSON object');
    const op = value.op;
    if (op !== 'insert' && op !== 'update' && op !== 'delete') {
      return fail(`"op" must be insert, update or delete, not ${JSON.stringify(op)}`);
    }
    const unknown = Object.keys(value).filter((k) => !KEYS[op].includes(k));
    if (unknown.length > 0) fail(`unknown field(s) for ${op}: ${unknown.join(', ')}`);
    const cls = typeof value.class === 'string' ? meta.repository.find(value.class) : undefined;
    if (!cls) return fail(`unknown class ${JSON.stringify(value.class)}`);
    const id = typeof value.id === 'number' ? String(value.id) : value.id;
    if (typeof id !== 'string' || id === '') return fail('"id" must be a non-empty string');
    if (op === 'insert') {
      if (!isRecord(value.doc)) return fail('"doc" must be an object');
      changes.push({ op, class: cls.canonicalName, id, doc: value.doc, line });
    } else if (op === 'update') {
      const set = value.set ?? {};
      const unset = value.unset ?? [];
      if (!isRecord(set)) return fail('"set" must be an object');
      if (!Array.isArray(unset) || !unset.every((u) => typeof u === 'string')) return fail('"unset" must be an array of field names');
      changes.push({ op, class: cls.canonicalName, id, set, unset: unset as string[], line });
    } else {
      changes.push({ op, class: cls.canonicalName, id, line });
    }
  });
  if (problems.length > 0) throw new CliError(problems.join('\n'), 1);
  return changes;
}

export function readChangeScript(file: string, meta: MetaModel): ScriptChange[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`, 1);
  }
  return parseChangeScript(text, file, meta);
}

/** The new document of an insert: key fields from the id, `_class` from the class. */
function newDocument(cls: ClassMeta, change: Extract<ScriptChange, { op: 'insert' }>): StoredDocument {
  return { ...keyValues(cls, change.id), ...change.doc, _class: cls.storage.discriminator, _classVer: cls.version };
}

/**
 * Writes one change the way an application does (journaled, no recompute). Returns whether a
 * stored document changed (an update or delete of a missing object changes nothing).
 */
export async function applyScriptChange(store: StorePort, meta: MetaModel, change: ScriptChange): Promise<boolean> {
  const cls = meta.repository.get(change.class);
  const collection = cls.storage.collection;
  const match = keyValues(cls, change.id);
  switch (change.op) {
    case 'insert':
      await store.insert(collection, [{ id: change.id, doc: newDocument(cls, change) }]);
      return true;
    case 'update':
      return (await store.update(collection, [{ id: change.id, match, set: change.set, unset: change.unset }])) > 0;
    case 'delete':
      return (await store.delete(collection, [{ id: change.id, match }])) > 0;
  }
}
