/**
 * Computed values that recurse through data: a class whose semantic displays a linked object of
 * its own kind (`cat` with semantic `name| (|parent|)`), or whose non-cached formula reads itself
 * on a linked object (`path = concat($parent.path, "/", $name)`), has values as deep as the data.
 * The meta dependency graph expands each formula once per class (it cannot unroll data), so a
 * change deeper in the chain would go unnoticed. Here the chain is followed in the data instead:
 * when an object's computed values may have changed, the objects reading them through such a
 * link are treated as changed in that link attribute (so the triggers of everything read through
 * the link fire), and so on up the chain (each object once).
 */
import type { ClassMeta, MetaModel } from '../meta/index.ts';
import type { StoredValue } from '../store/port.ts';
import type { ChangeEvent } from './change-event.ts';
import { docId, linkValuesOf } from './keys.ts';
import type { RecomputeContext } from './types.ts';

/** `holder.attribute` leads a non-cached value of `holder` (semantic or formula) to objects of `target`. */
interface ComputedLink {
  readonly holder: string;
  readonly attribute: string;
  readonly kind: 'reference' | 'idArray' | 'backColl';
  readonly target: string;
}

interface ComputedIndex {
  /** Links that are part of a cycle of computed values. */
  readonly recursive: readonly ComputedLink[];
  /** Attributes each class's computed values (semantic, non-cached formulas) read directly. */
  readonly computedFields: ReadonlyMap<string, ReadonlySet<string>>;
}

const indexes = new WeakMap<MetaModel, ComputedIndex>();

function indexOf(meta: MetaModel): ComputedIndex {
  let index = indexes.get(meta);
  if (index) return index;
  const repo = meta.repository;
  const links: ComputedLink[] = [];
  const computedFields = new Map<string, Set<string>>();
  for (const f of meta.formulas) {
    const owner = repo.get(f.owner);
    // A cached semantic is displayed from the stored __semantic, a cached attribute is stored:
    // the cascade follows both. Only values computed on read recurse unseen.
    const computed = f.role === 'semantic'
      ? !owner.semanticCached
      : f.role === 'formula' && owner.propertyByName.get(f.attribute)?.cached === false;
    if (!computed) continue;
    const fields = computedFields.get(f.owner) ?? new Set<string>();
    computedFields.set(f.owner, fields);
    for (const path of f.paths) {
      const first = path.hops[0];
      if (!first) continue;
      fields.add(first.attribute);
      const kind = first.kind;
      if (!first.target || (kind !== 'reference' && kind !== 'idArray' && kind !== 'backColl')) continue;
      links.push({ holder: f.owner, attribute: first.attribute, kind, target: first.target });
    }
  }
  // A link is recursive when the class it leads to can lead, link by link, to the holder again.
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (repo.related(from, to)) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return links.some((l) => repo.related(l.holder, from) && reaches(l.target, to, seen));
  };
  index = { recursive: links.filter((l) => reaches(l.target, l.holder)), computedFields };
  indexes.set(meta, index);
  return index;
}

function valuesMayChange(index: ComputedIndex, cls: ClassMeta, event: ChangeEvent): boolean {
  if (event.op === 'insert' || event.op === 'delete') return true;
  const classes = [cls.canonicalName, ...cls.ancestors];
  return event.fields.some((field) => classes.some((c) => index.computedFields.get(c)?.has(field)));
}

/**
 * Pseudo-events for the objects whose computed values change because a linked object's did, up
 * the recursive links (one query per link and level for all events).
 */
export async function recursiveValueEvents(ctx: RecomputeContext, events: readonly ChangeEvent[]): Promise<ChangeEvent[]> {
  const index = indexOf(ctx.meta);
  if (index.recursive.length === 0) return [];
  const repo = ctx.meta.repository;
  const out: ChangeEvent[] = [];
  const seen = new Set(events.map((e) => `${e.cls.canonicalName}\u0000${e.id}`));
  let frontier = events.filter((e) => valuesMayChange(index, e.cls, e));
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
