/**
 * The indexes the reverse steps of the dependency graph query by: without them each cascade
 * step is a collection scan. Shaped like the store's index requests (the meta layer does not
 * know the store; the caller passes these on).
 */
import type { MetaRepository } from '../repository.ts';
import type { ReverseStep, Trigger } from './types.ts';

export interface LookupIndex {
  /** MongoDB collection (root class) the field lives in. */
  readonly collection: string;
  readonly field: string;
  /** The field holds an array of keys (id-array collections). */
  readonly array?: boolean;
}

/** Every field a reverse step looks objects up by, once per collection and field. */
export function lookupIndexes(repo: MetaRepository, triggers: readonly Trigger[]): LookupIndex[] {
  const found = new Map<string, LookupIndex>();
  const add = (cls: string, field: string, array = false): void => {
    const collection = repo.get(cls).storage.collection;
    const key = `${collection}\u0000${field}`;
    if (!found.has(key)) found.set(key, array ? { collection, field, array } : { collection, field });
  };
  const byKey = (cls: string): void => {
    const key = repo.get(cls).key;
    if (key.length === 1) add(cls, key[0]!);
  };
  const visit = (step: ReverseStep): void => {
    switch (step.kind) {
      case 'reference':
        return add(step.to, step.field);
      case 'idArray':
        return add(step.to, step.field, true);
      case 'backColl':
        // either side answers: the owners whose array holds our key, or the keys in our mirror
        add(step.to, step.field, true);
        return byKey(step.to);
      case 'backReference':
      case 'backRefCollection':
        return step.binding ? add(step.to, step.binding) : byKey(step.to);
      case 'classScan':
        for (const tie of step.ties) add(step.to, tie.ownerAttribute);
        return;
    }
  };
  for (const t of triggers) for (const step of t.reverse) visit(step);
  return [...found.values()].sort((a, b) => a.collection.localeCompare(b.collection) || a.field.localeCompare(b.field));
}
