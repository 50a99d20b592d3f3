/**
 * Resolving one attribute path (`raionObslu.oktmo_nasPunkta.svyaz.ops`) against a class, hop by
 * hop, the way ION's `objProp` walks objects (ion-spec §1.4).
 */
import type { Hop } from './bound.ts';
import { MetaCodes, type MetaCode } from './diagnostics.ts';
import { SYSTEM_ATTRIBUTES, type ClassMeta } from './model.ts';
import { propertyTypeName } from './property-types.ts';
import type { MetaRepository } from './repository.ts';

export interface PathProblem {
  readonly code: MetaCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Index of the segment concerned. */
  readonly segment: number;
}

export interface PathBinding {
  /** Hops bound so far: all of them when there is no error. */
  readonly hops: Hop[];
  readonly problems: PathProblem[];
  /** False when binding stopped on an error or at a link to an unknown class. */
  readonly complete: boolean;
}

/** Binds `segments` starting on class `start`. */
export function bindPath(repo: MetaRepository, start: ClassMeta, segments: readonly string[]): PathBinding {
  const hops: Hop[] = [];
  const problems: PathProblem[] = [];
  let cls: ClassMeta = start;
  for (let i = 0; i < segments.length; i++) {
    const name = segments[i]!;
    const last = i === segments.length - 1;
    if (SYSTEM_ATTRIBUTES.has(name) && !cls.propertyByName.has(name)) {
      hops.push({ kind: 'system', owner: cls.canonicalName, attribute: name, property: undefined, target: undefined, many: false });
      if (!last) return fail(hops, problems, i, MetaCodes.pathThroughScalar, `${name} is a system attribute (text); the path cannot continue with ${segments[i + 1]}`);
      continue;
    }
    let property = cls.propertyByName.get(name);
    let viaSubclass: string | undefined;
    if (!property) {
      const found = repo.findInDescendants(cls, name);
      if (!found) return fail(hops, problems, i, MetaCodes.unknownAttribute, `class ${cls.name} has no attribute ${name}`);
      property = found.property;
      viaSubclass = found.cls.canonicalName;
      problems.push({
        code: MetaCodes.subclassAttribute,
        severity: 'warning',
        message: `attribute ${name} exists only in subclass ${found.cls.name} of ${cls.name}: objects of other classes read null`,
        segment: i,
      });
    }
    const link = property.link && property.link.kind !== 'struct' ? property.link : undefined;
    hops.push({
      kind: link ? link.kind : 'attribute',
      owner: cls.canonicalName,
      attribute: name,
      property,
      target: link?.target,
      many: link?.many ?? false,
      ...(viaSubclass ? { viaSubclass } : {}),
    });
    if (last) break;
    if (!link) {
      return fail(hops, problems, i, MetaCodes.pathThroughScalar, `${cls.name}.${name} is ${propertyTypeName(property.type)}, not a reference or collection: the path cannot continue with ${segments[i + 1]}`);
    }
    // An unknown target class was reported where the attribute is declared.
    if (!link.target) return { hops, problems, complete: false };
    cls = repo.get(link.target);
  }
  return { hops, problems, complete: true };
}

function fail(hops: Hop[], problems: PathProblem[], segment: number, code: MetaCode, message: string): PathBinding {
  problems.push({ code, severity: 'error', message, segment });
  return { hops, problems, complete: false };
}

/** The class the objects reached by `hops` belong to (the last link's target), if the path ends on a link. */
export function endClass(hops: readonly Hop[]): string | undefined {
  const last = hops[hops.length - 1];
  return last && last.kind !== 'attribute' && last.kind !== 'system' ? last.target : undefined;
}
