/**
 * The formulas of a meta model compiled once: attribute formulas, class semantics and property
 * semantics (display of linked objects), looked up by class and attribute. Semantics come from
 * the meta layer's compiled templates (`toObjectSyntax` of the bound AST), so they follow ION's
 * token rules exactly.
 */
import { compileFormula, type CompiledFormula } from '../formula/compile.ts';
import { SEMANTIC_ATTRIBUTE, type BoundFormula } from '../meta/bound.ts';
import { toObjectSyntax, type MetaModel, type PropertyMeta } from '../meta/index.ts';

export class CompiledMeta {
  private readonly semantics = new Map<string, CompiledFormula | null>();
  private readonly propertySemantics = new Map<string, CompiledFormula | null>();
  private readonly formulas = new WeakMap<PropertyMeta, CompiledFormula | null>();
  private readonly bound = new Map<string, BoundFormula>();
  /** Formulas that do not compile (reported by the meta layer already): attribute → message. */
  readonly broken = new Map<string, string>();

  constructor(readonly meta: MetaModel) {
    for (const f of meta.formulas) {
      const owner = f.role === 'propertySemantic' ? f.declaredIn : f.owner;
      this.bound.set(`${owner}|${f.attribute}|${f.role}`, f);
    }
  }

  /** The compiled formula of an attribute (its effective definition), or null when it has none or it does not compile. */
  formulaOf(property: PropertyMeta): CompiledFormula | null {
    if (property.formula === undefined || property.formula === null) return null;
    let compiled = this.formulas.get(property);
    if (compiled === undefined) {
      compiled = this.compile(`${property.declaredIn}.${property.name}`, property.formula);
      this.formulas.set(property, compiled);
    }
    return compiled;
  }

  /** The class semantic of `className` (own or inherited template, compiled on that class), or null. */
  semanticOf(className: string): CompiledFormula | null {
    let compiled = this.semantics.get(className);
    if (compiled === undefined) {
      const bound = this.bound.get(`${className}|${SEMANTIC_ATTRIBUTE}|semantic`);
      compiled = bound ? this.compile(`${className}.${SEMANTIC_ATTRIBUTE}`, toObjectSyntax(bound.ast)) : null;
      this.semantics.set(className, compiled);
    }
    return compiled;
  }

  /** The property semantic of link attribute `property` (evaluated on the linked object), or null. */
  propertySemanticOf(property: PropertyMeta): CompiledFormula | null {
    const key = `${property.declaredIn}|${property.name}`;
    let compiled = this.propertySemantics.get(key);
    if (compiled === undefined) {
      const bound = this.bound.get(`${property.declaredIn}|${property.name}|propertySemantic`);
      compiled = bound ? this.compile(`${key}@`, toObjectSyntax(bound.ast)) : null;
      this.propertySemantics.set(key, compiled);
    }
    return compiled;
  }

  private compile(where: string, source: unknown): CompiledFormula | null {
    try {
      return compileFormula(source);
    } catch (error) {
      this.broken.set(where, (error as Error).message);
      return null;
    }
  }
}
