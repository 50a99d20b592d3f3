/**
 * Inverting read paths: for each hop of a path, the field whose change alters what the path
 * yields, and the reverse steps from the object holding that field back to the target's object.
 */
import type { Hop } from '../bound.ts';
import type { Expansion } from './expand.ts';
import type { ReverseStep, TargetRef, Trigger, TriggerKind } from './types.ts';

/** The step from an object reached by `hop` back to the object `hop` was read on. */
export function reverseStep(hop: Hop): ReverseStep | undefined {
  const link = hop.property?.link;
  const to = hop.owner;
  switch (hop.kind) {
    case 'reference':
      return { kind: 'reference', to, field: hop.attribute };
    case 'idArray':
      return { kind: 'idArray', to, field: hop.attribute };
    case 'backColl':
      return { kind: 'backColl', to, field: hop.attribute, mirror: link?.mirror ?? '' };
    case 'backReference':
    case 'backRefCollection':
      return { kind: hop.kind, to, field: link?.backRef ?? '', ...(link?.binding ? { binding: link.binding } : {}) };
    default:
      return undefined;
  }
}

/** Triggers of one target from its expanded reads. */
export function triggersOf(target: TargetRef, expansion: Expansion): Trigger[] {
  const out: Trigger[] = [];
  const add = (cls: string, field: string, kind: TriggerKind, reverse: readonly ReverseStep[], path: string): void => {
    // A cached formula reading its own stored value (pm-gov-ru `purpose.level` clamps `$level`)
    // uses the previous value: not a dependency, and as a trigger it would re-fire on every write.
    if (reverse.length === 0 && field === target.attribute) return;
    out.push({ class: cls, field, kind, target, reverse, path });
  };
  for (const { hops } of expansion.paths) {
    const steps = hops.map(reverseStep);
    // reverse(i): from the object `hops[i]` is read on back to the target's object.
    const reverseTo = (i: number): ReverseStep[] => steps.slice(0, i).reverse().filter((s): s is ReverseStep => s !== undefined);
    hops.forEach((hop, i) => {
      const path = hops.slice(0, i + 1).map((h) => h.attribute).join('.');
      const holder = hop.viaSubclass ?? hop.owner;
      switch (hop.kind) {
        case 'system':
          return; // the class of an object never changes
        case 'attribute': {
          // Non-cached formula values are never stored, so their change never arrives: their own reads cover them.
          const computed = hop.property?.formula !== undefined && !hop.property.cached;
          if (!computed) add(holder, hop.attribute, 'value', reverseTo(i), path);
          return;
        }
        case 'reference':
        case 'idArray':
          add(holder, hop.attribute, 'link', reverseTo(i), path);
          return;
        case 'backColl':
          add(holder, hop.attribute, 'link', reverseTo(i), path);
          if (hop.target && hop.property?.link?.mirror) add(hop.target, hop.property.link.mirror, 'link', [steps[i]!, ...reverseTo(i)], path);
          return;
        case 'backReference':
        case 'backRefCollection': {
          const link = hop.property?.link;
          if (hop.target && link?.backRef) add(hop.target, link.backRef, 'link', [steps[i]!, ...reverseTo(i)], path);
          // `selConditions` filter the items: their attributes decide membership too.
          if (hop.target && link?.backRef) for (const field of conditionFields(hop)) add(hop.target, field, 'link', [steps[i]!, ...reverseTo(i)], path);
          if (link?.binding) add(holder, link.binding, 'link', reverseTo(i), path);
          return;
        }
        case 'struct':
          return;
      }
    });
  }
  for (const { prefix, read } of expansion.classReads) {
    const steps = prefix.map(reverseStep).filter((s): s is ReverseStep => s !== undefined).reverse();
    const scanned = prefix.length > 0 ? prefix[prefix.length - 1]!.target ?? target.class : target.class;
    const scan: ReverseStep = { kind: 'classScan', to: scanned, ties: read.ties };
    const path = prefix.map((h) => h.attribute).concat(`${read.fn}(${read.className})`).join('.');
    for (const attribute of new Set(read.attributes)) add(read.className, attribute, 'class', [scan, ...steps], path);
    // The owner's side of a tie is an ordinary read of its own attribute: already a path read.
  }
  return dedupe(out);
}

/** Item attributes named by the top-level `selConditions` of a back-reference collection. */
function conditionFields(hop: Hop): string[] {
  const conditions = hop.property?.raw.selConditions;
  if (!Array.isArray(conditions)) return [];
  return conditions.flatMap((c) => (typeof c === 'object' && c !== null && typeof (c as { property?: unknown }).property === 'string' ? [(c as { property: string }).property] : []));
}

function dedupe(list: Trigger[]): Trigger[] {
  const seen = new Set<string>();
  return list.filter((t) => {
    const key = `${t.class}|${t.field}|${t.kind}|${JSON.stringify(t.reverse)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
