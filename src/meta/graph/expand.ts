/**
 * What a cached value really reads: the paths of its formula, continued through the non-cached
 * formula attributes it reads (they are evaluated, not stored) and through display values (a
 * linked object's display is its semantic, unless its class caches it in `__semantic`).
 */
import { SEMANTIC_ATTRIBUTE, type BoundClassRead, type BoundFormula, type BoundPath, type Hop } from '../bound.ts';
import type { MetaRepository } from '../repository.ts';

/** A read path from the target's object, hops fully bound. */
export interface ExpandedPath {
  readonly hops: readonly Hop[];
}

/** A class-wide read made on the object reached by `prefix`. */
export interface ExpandedClassRead {
  readonly prefix: readonly Hop[];
  readonly read: BoundClassRead;
}

export interface Expansion {
  readonly paths: ExpandedPath[];
  readonly classReads: ExpandedClassRead[];
}

/** Index of bound formulas by `class|attribute|role`. */
export class FormulaIndex {
  private readonly byKey = new Map<string, BoundFormula>();
  constructor(formulas: readonly BoundFormula[]) {
    for (const f of formulas) this.byKey.set(`${f.role === 'propertySemantic' ? f.declaredIn : f.owner}|${f.attribute}|${f.role}`, f);
  }
  formula(cls: string, attribute: string): BoundFormula | undefined {
    return this.byKey.get(`${cls}|${attribute}|formula`);
  }
  semantic(cls: string): BoundFormula | undefined {
    return this.byKey.get(`${cls}|${SEMANTIC_ATTRIBUTE}|semantic`);
  }
  /** Property semantic of link attribute `attribute` declared in `cls`. */
  propertySemantic(cls: string, attribute: string): BoundFormula | undefined {
    return this.byKey.get(`${cls}|${attribute}|propertySemantic`);
  }
}

const MAX_DEPTH = 24;

export function expandFormula(repo: MetaRepository, index: FormulaIndex, formula: BoundFormula): Expansion {
  const out: Expansion = { paths: [], classReads: [] };
  const seen = new Set<string>();
  const addFormula = (f: BoundFormula, prefix: readonly Hop[], stack: readonly string[]): void => {
    for (const p of f.paths) addPath(p, prefix, stack);
    for (const read of f.classReads) out.classReads.push({ prefix, read });
  };
  const addPath = (path: BoundPath, prefix: readonly Hop[], stack: readonly string[]): void => {
    const hops = [...prefix, ...path.hops];
    const key = hops.map((h) => `${h.owner}.${h.attribute}`).join('>') + (path.display ? '@' : '');
    if (seen.has(key) || stack.length > MAX_DEPTH) return;
    seen.add(key);
    out.paths.push({ hops });
    const last = hops[hops.length - 1];
    if (!last) return;
    const before = hops.slice(0, -1);
    const property = last.property;
    if (property?.formula !== undefined && !property.cached) {
      // Not stored: read what it reads, on the object that holds it. Overrides in subclasses too.
      for (const cls of [property.declaredIn, ...repo.get(last.owner).descendants]) {
        const inner = index.formula(cls, last.attribute);
        const frame = `${cls}.${last.attribute}`;
        if (inner && !stack.includes(frame) && (cls === property.declaredIn || inner.owner === cls)) addFormula(inner, before, [...stack, frame]);
      }
    }
    const isLink = last.kind !== 'attribute' && last.kind !== 'system';
    if (isLink && last.target && (path.display || path.use === 'value')) {
      const own = index.propertySemantic(property?.declaredIn ?? last.owner, last.attribute);
      const target = repo.get(last.target);
      const frame = `${target.canonicalName}.@`;
      if (own) addFormula(own, hops, [...stack, frame]);
      else if (target.semanticCached) {
        const stored: Hop = { kind: 'attribute', owner: target.canonicalName, attribute: SEMANTIC_ATTRIBUTE, property: undefined, target: undefined, many: false };
        out.paths.push({ hops: [...hops, stored] });
      } else {
        const semantic = index.semantic(target.canonicalName);
        if (semantic && !stack.includes(frame)) addFormula(semantic, hops, [...stack, frame]);
      }
    }
  };
  addFormula(formula, [], [`${formula.owner}.${formula.attribute}`]);
  return out;
}
