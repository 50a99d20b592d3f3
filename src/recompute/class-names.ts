/**
 * Class names as callers write them (CLI flags, job payloads): canonical (`line@wc`), or bare
 * (`line`) when exactly one namespace has a class of that name.
 */
import type { ClassMeta, MetaRepository } from '../meta/index.ts';

export function findClass(repo: MetaRepository, written: string): ClassMeta | undefined {
  const exact = repo.find(written);
  if (exact || written.includes('@')) return exact;
  const matches = [...repo.classes.values()].filter((c) => c.name === written);
  return matches.length === 1 ? matches[0] : undefined;
}
