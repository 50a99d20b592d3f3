/**
 * MongoDB change events → feed events. The input is the driver's `ChangeStreamDocument`, shaped
 * as the server documents it (https://www.mongodb.com/docs/manual/reference/change-events/);
 * the stream is opened with `fullDocument: 'updateLookup'` (so updates carry the current
 * document, needed for the object's class and key) and, when pre-images are enabled on the
 * collections, `fullDocumentBeforeChange: 'whenAvailable'` (the old values; `null` when the
 * server has none).
 */
import { isDeepStrictEqual } from 'node:util';
import type { ChangeStreamDocument, Document, UpdateDescription } from 'mongodb';
import { computedFor, touchesOnlyComputed, type ComputedFields } from './computed-fields.ts';
import type { FeedEvent, FeedOperation, ObjectChange } from './feed-event.ts';
import type { IdentifyObject } from './identify.ts';

/** What the translation needs to know. */
export interface TranslateOptions {
  /** Names the object a document is. */
  readonly identify: IdentifyObject;
  /** The computed fields: changes touching only these are our own writes and are dropped. */
  readonly computed: ComputedFields;
  /** The watched collections: a rename onto one of them reports that collection (default: the renamed one). */
  readonly watched?: ReadonlySet<string>;
}

/**
 * Translates one change event, or returns `null` for an event the feed ignores: our own writes,
 * a replace that changed nothing, and operations that do not change documents (index creation,
 * `create`, `modify`, sharding…). `dropDatabase` is ignored because the server follows it with
 * an `invalidate`, which is reported.
 */
export function translateChange(change: ChangeStreamDocument, options: TranslateOptions): FeedEvent | null {
  const time = eventTime(change);
  switch (change.operationType) {
    case 'insert': {
      const doc = change.fullDocument;
      return objectChange(change.ns.coll, 'insert', doc, fieldsOf(doc), {}, time, options);
    }
    case 'update': {
      const fields = updatedTopLevelFields(change.updateDescription);
      const after = change.fullDocument ?? null;
      const before = change.fullDocumentBeforeChange ?? null;
      const className = classOf(after) ?? classOf(before);
      if (touchesOnlyComputed(fields, computedFor(options.computed, className))) return null;
      return objectChange(change.ns.coll, 'update', after ?? before, fields, before ? pick(before, fields) : null, time, options);
    }
    case 'replace': {
      const after = change.fullDocument;
      const before = change.fullDocumentBeforeChange ?? null;
      if (!before) return objectChange(change.ns.coll, 'replace', after, fieldsOf(after), null, time, options);
      const fields = differingFields(before, after);
      if (fields.length === 0) return null;
      if (touchesOnlyComputed(fields, computedFor(options.computed, classOf(after) ?? classOf(before)))) return null;
      return objectChange(change.ns.coll, 'replace', after, fields, pick(before, fields), time, options);
    }
    case 'delete': {
      const before = change.fullDocumentBeforeChange ?? null;
      return objectChange(change.ns.coll, 'delete', before, before ? fieldsOf(before) : [], before ? withoutId(before) : null, time, options);
    }
    case 'drop':
      return { kind: 'drop', collection: change.ns.coll, time };
    case 'rename': {
      // A watched collection renamed away is gone under its old name: as good as dropped. A
      // rename onto a watched collection (`$out`, `renameCollection` with `dropTarget`) replaced
      // its whole content: as good as dropped too, reported under the watched name.
      const ontoWatched = options.watched?.has(change.to.coll) === true && !options.watched.has(change.ns.coll);
      return { kind: 'drop', collection: ontoWatched ? change.to.coll : change.ns.coll, time };
    }
    case 'invalidate':
      return { kind: 'invalidate', time };
    default:
      return null;
  }
}

/**
 * The top-level field names an update touched: `a.b.c` counts as `a` (a nested or array element
 * write changes `a`). A path listed in `disambiguatedPaths` (server 6.1+ with expanded events,
 * always from 8.2) takes its first component from there: the path of a top-level field whose
 * name holds a dot (`{"a.b": 1}`) is `a.b`, which splitting would misread as `a`.
 */
export function updatedTopLevelFields(description: UpdateDescription | undefined): string[] {
  const fields = new Set<string>();
  const resolved = description?.disambiguatedPaths ?? {};
  const add = (path: string): void => {
    const components: unknown = Object.hasOwn(resolved, path) ? resolved[path] : undefined;
    const first = Array.isArray(components) ? components[0] : undefined;
    const top = typeof first === 'string' ? first : path.split('.', 1)[0];
    if (top) fields.add(top);
  };
  for (const path of Object.keys(description?.updatedFields ?? {})) add(path);
  for (const path of description?.removedFields ?? []) add(path);
  for (const truncated of description?.truncatedArrays ?? []) add(truncated.field);
  return [...fields];
}

/** When the change was committed: `wallTime` (server 6.0+), else the seconds of `clusterTime`, else now. */
function eventTime(change: ChangeStreamDocument): number {
  if ('wallTime' in change && change.wallTime instanceof Date) return change.wallTime.getTime();
  if (change.clusterTime) return change.clusterTime.getHighBitsUnsigned() * 1000;
  return Date.now();
}

function objectChange(
  collection: string,
  op: FeedOperation,
  doc: Document | null,
  changedFields: string[],
  oldValues: Record<string, unknown> | null,
  time: number,
  options: TranslateOptions,
): ObjectChange {
  const ref = doc ? options.identify(collection, doc) : null;
  return {
    kind: 'change',
    collection,
    className: ref?.className ?? classOf(doc),
    id: ref?.id ?? null,
    op,
    changedFields,
    oldValues,
    time,
  };
}

function classOf(doc: Document | null | undefined): string | null {
  return doc && typeof doc._class === 'string' ? doc._class : null;
}

function fieldsOf(doc: Document): string[] {
  return Object.keys(doc).filter((field) => field !== '_id');
}

function withoutId(doc: Document): Record<string, unknown> {
  const { _id: _ignored, ...rest } = doc;
  return rest;
}

/** The values of `fields` in `doc`, `null` for missing ones (as the embedded journal records them). */
function pick(doc: Document, fields: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field, doc[field] ?? null]));
}

/** Fields present in either document whose values differ. */
function differingFields(before: Document, after: Document): string[] {
  const names = new Set([...fieldsOf(before), ...fieldsOf(after)]);
  return [...names].filter((name) => !isDeepStrictEqual(before[name], after[name]));
}
