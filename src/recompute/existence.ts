/**
 * Triggers for an object coming or going. The meta dependency graph watches fields; but a path
 * that only reaches objects through a stored link (`count($branches)`, `nempty($ref)`) reads no
 * field of them, and yet its value changes when a linked object is inserted (a dangling id
 * resolves) or deleted (an id dangles). For each link trigger on a stored link attribute
 * (reference, id array, backColl) whose target class is the changed object's, this adds the step
 * from the linked object back to the objects holding the link. (Back links need nothing: the
 * linked object's `backRef` field is among the fields an insert or delete changes.)
 */
import type { MetaModel } from '../meta/index.ts';
import type { ReverseStep, Trigger } from '../meta/graph/types.ts';

const cache = new WeakMap<MetaModel, Map<string, Trigger[]>>();
const scans = new WeakMap<MetaModel, Map<string, Trigger[]>>();

/** Class-form reads of a class (or an ancestor): any object coming or going changes them. */
export function classScanTriggers(meta: MetaModel, className: string): Trigger[] {
  let byClass = scans.get(meta);
  if (!byClass) scans.set(meta, (byClass = new Map()));
  let list = byClass.get(className);
  if (!list) {
    list = meta.graph.triggers.filter((t) => t.reverse[0]?.kind === 'classScan' && meta.repository.isA(className, t.class));
    byClass.set(className, list);
  }
  return list;
}

export function existenceTriggers(meta: MetaModel, className: string): Trigger[] {
  let byClass = cache.get(meta);
  if (!byClass) cache.set(meta, (byClass = new Map()));
  let list = byClass.get(className);
  if (list) return list;
  const repo = meta.repository;
  list = [];
  for (const t of meta.graph.triggers) {
    if (t.kind !== 'link') continue;
    const holder = repo.classes.get(t.class);
    if (!holder) continue;
    const property = holder.propertyByName.get(t.field) ?? repo.findInDescendants(holder, t.field)?.property;
    const link = property?.link;
    if (!link?.target || !repo.related(className, link.target)) continue;
    let step: ReverseStep;
    switch (link.kind) {
      case 'reference':
        step = { kind: 'reference', to: t.class, field: t.field };
        break;
      case 'idArray':
        step = { kind: 'idArray', to: t.class, field: t.field };
        break;
      case 'backColl':
        step = { kind: 'backColl', to: t.class, field: t.field, mirror: link.mirror ?? '' };
        break;
      default:
        continue;
    }
    list.push({ ...t, class: className, reverse: [step, ...t.reverse] });
  }
  byClass.set(className, list);
  return list;
}
