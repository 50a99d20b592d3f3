/**
 * Display values that recurse through data: a class whose semantic displays a linked object of
 * its own kind (`cat` with semantic `name| (|parent|)`) shows a chain as deep as the data. The
 * meta dependency graph expands a semantic once per class (it cannot unroll data), so a change
 * deeper in the chain would go unnoticed. Here the chain is followed in the data instead: when an
 * object's display may have changed, the objects displaying it through such a link are treated
 * as changed in that link attribute, and so on up the chain (each object once).
 */
import type { ClassMeta, MetaModel } from '../meta/index.ts';
import type { StoredValue } from '../store/port.ts';
import type { ChangeEvent } from './dependants.ts';
import { docId, linkValuesOf } from './keys.ts';
import type { RecomputeContext } from './types.ts';

/** `holder.attribute` displays objects of `target` inside `holder`'s own (non-cached) semantic. */
interface DisplayLink {
  readonly holder: string;
  readonly attribute: string;
  readonly kind: 'reference' | 'idArray' | 'backColl';
  readonly target: string;
}

interface DisplayIndex {
  /** Display links that are part of a cycle of semantics. */
  readonly recursive: readonly DisplayLink[];
  /** Attributes each class's semantic reads directly. */
  readonly semanticFields: ReadonlyMap<string, ReadonlySet<string>>;
}

const indexes = new WeakMap<MetaModel, DisplayIndex>();

function indexOf(meta: MetaModel): DisplayIndex {
  let index = indexes.get(meta);
  if (index) return index;
  const repo = meta.repository;
  const links: DisplayLink[] = [];
  const semanticFields = new Map<string, Set<string>>();
  for (const f of meta.formulas) {
    if (f.role !== 'semantic') continue;
    const fields = new Set<string>();
    semanticFields.set(f.owner, fields);
    if (repo.get(f.owner).semanticCached) continue; // its display is the stored __semantic: a cached value the cascade follows
    for (const path of f.paths) {
      const first = path.hops[0];
      if (first) fields.add(first.attribute);
      const kind = first?.kind;
      if (path.hops.length !== 1 || !first?.target || (kind !== 'reference' && kind !== 'idArray' && kind !== 'backColl')) continue;
      links.push({ holder: f.owner, attribute: first.attribute, kind, target: first.target });
    }
  }
  // A link is recursive when the class it displays can display, link by link, the holder again.
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (repo.related(from, to)) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return links.some((l) => repo.related(l.holder, from) && reaches(l.target, to, seen));
  };
  index = { recursive: links.filter((l) => reaches(l.target, l.holder)), semanticFields };
  indexes.set(meta, index);
  return index;
}

function displayMayChange(index: DisplayIndex, cls: ClassMeta, event: ChangeEvent): boolean {
  if (event.op === 'insert' || event.op === 'delete') return true;
  const fields = [cls.canonicalName, ...cls.ancestors].map((c) => index.semanticFields.get(c)).find((f) => f !== undefined);
  return fields !== undefined && event.fields.some((f) => fields.has(f));
}

/**
 * Pseudo-events for the objects whose display changes because a displayed object's did, up the
 * recursive display links (one query per link and level for all events).
 */
export async function recursiveDisplayEvents(ctx: RecomputeContext, events: readonly ChangeEvent[]): Promise<ChangeEvent[]> {
  const index = indexOf(ctx.meta);
  if (index.recursive.length === 0) return [];
  const repo = ctx.meta.repository;
  const out: ChangeEvent[] = [];
  const seen = new Set(events.map((e) => `${e.cls.canonicalName}\u0000${e.id}`));
  let frontier = events.filter((e) => displayMayChange(index, e.cls, e));
  while (frontier.length > 0) {
    const next: ChangeEvent[] = [];
    for (const link of index.recursive) {
      const shown = frontier.filter((e) => repo.isA(e.cls.canonicalName, link.target));
      const keys: StoredValue[] = shown.flatMap((e) => linkValuesOf(e.cls, e.doc ?? e.old));
      if (keys.length === 0) continue;
      const holder = repo.get(link.holder);
      const { collection, discriminators } = holder.storage;
      const docs = link.kind === 'reference'
        ? await ctx.store.findByField(collection, discriminators, link.attribute, keys)
        : await ctx.store.findByArrayMember(collection, discriminators, link.attribute, keys);
      for (const doc of docs) {
        const cls = (typeof doc._class === 'string' ? repo.classes.get(doc._class) : undefined) ?? holder;
        const id = docId(cls, doc);
        const key = `${cls.canonicalName}\u0000${id}`;
        if (id === '' || seen.has(key)) continue;
        seen.add(key);
        const event: ChangeEvent = { cls, id, doc, old: {}, fields: [link.attribute], op: 'computed' };
        out.push(event);
        next.push(event);
      }
    }
    frontier = next;
  }
  return out;
}
