/**
 * The loading plan of a class: the attribute paths its cached values read, from the meta
 * dependency graph (paths continued through non-cached formulas and display semantics, so one
 * preload covers them). `LoadSession.preload` turns them into one query per link and level.
 */
import type { ClassMeta, MetaModel } from '../meta/index.ts';

const plans = new WeakMap<ClassMeta, readonly (readonly string[])[]>();

export function loadPlan(meta: MetaModel, cls: ClassMeta): readonly (readonly string[])[] {
  let plan = plans.get(cls);
  if (!plan) {
    const seen = new Set<string>();
    const paths: string[][] = [];
    for (const target of meta.graph.targetsOf(cls.canonicalName)) {
      for (const read of target.reads) {
        const segments: string[] = [];
        // A class-wide read (`count(cls)`) ends the path: it is answered by an aggregation.
        for (const segment of read.path.split('.')) {
          if (segment.includes('(')) break;
          segments.push(segment);
        }
        const key = segments.join('.');
        if (segments.length === 0 || seen.has(key)) continue;
        seen.add(key);
        paths.push(segments);
      }
    }
    plan = paths;
    plans.set(cls, plan);
  }
  return plan;
}
