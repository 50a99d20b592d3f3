/**
 * ION's declared `cacheDependencies` (inherited, ancestor lists first): walked forward from each
 * changed object's current and old state with the batched loader (one query per link and level).
 */
import type { ChangeEvent } from './change-event.ts';
import type { LoadedObject } from './loaded-object.ts';
import { LoadSession } from './session.ts';
import type { RecomputeContext } from './types.ts';

/**
 * Whether the walk from the old state can start differently from the walk from the current one:
 * the first hop reads only the link attribute, its `binding` and the key (a back link's value),
 * and later hops start from stored objects. A computed write (old values of cached fields only)
 * needs no second walk.
 */
function oldStateLeadsElsewhere(event: ChangeEvent, path: string): boolean {
  const changed = Object.keys(event.old);
  if (changed.length === 0) return false;
  if (!event.doc) return true;
  const first = path.split('.')[0]!;
  const binding = event.cls.propertyByName.get(first)?.link?.binding;
  return changed.some((field) => field === first || field === binding || event.cls.key.includes(field));
}

/** ION's `cacheDependencies`: from the object (current and old state) along each declared path. */
export async function declaredDependants(ctx: RecomputeContext, events: readonly ChangeEvent[], add: (o: LoadedObject, why: string) => void): Promise<void> {
  const session = new LoadSession(ctx);
  const byPath = new Map<string, { path: string; objects: LoadedObject[]; cls: string }>();
  for (const event of events) {
    for (const path of event.cls.cacheDependencies) {
      const key = `${event.cls.canonicalName}\u0000${path}`;
      const entry = byPath.get(key) ?? { path, objects: [], cls: event.cls.canonicalName };
      if (event.doc) {
        const current = session.adopt(event.doc, event.cls);
        if (current) entry.objects.push(current);
      }
      if (oldStateLeadsElsewhere(event, path)) entry.objects.push(session.ghost(event.cls, { ...(event.doc ?? {}), ...event.old }));
      byPath.set(key, entry);
    }
  }
  for (const { path, objects, cls } of byPath.values()) {
    for (const o of await session.walk(objects, path.split('.'))) add(o, `cacheDependencies "${path}" of ${cls}`);
  }
}
