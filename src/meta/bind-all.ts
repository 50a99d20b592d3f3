/**
 * Parses and binds every formula of the loaded meta: attribute formulas, formula default values,
 * class semantics and property semantics. Problems are reported where the formula is written.
 */
import type { FormulaNode } from '../formula/ast.ts';
import { walk } from '../formula/ast.ts';
import { DiagnosticCodes, type FormulaDiagnostic } from '../formula/diagnostics.ts';
import { analyzeFormula } from '../formula/parse.ts';
import { bindFormulaAst } from './bind-formula.ts';
import { SEMANTIC_ATTRIBUTE, type BoundFormula, type FormulaRole } from './bound.ts';
import { MetaCodes } from './diagnostics.ts';
import { reportInFormula, type FormulaSite } from './formula-site.ts';
import type { ClassMeta, PropertyMeta } from './model.ts';
import type { MetaRepository } from './repository.ts';
import { compileSemantic } from './semantic.ts';
import { DiagnosticSink } from './sink.ts';

/** Every bound formula; one per (class, attribute, role). */
export function bindAll(repo: MetaRepository, sink: DiagnosticSink): BoundFormula[] {
  const bound: BoundFormula[] = [];
  // Inherited definitions are bound once, on the class that declares them; a subclass's
  // semantic is compiled on the subclass (its tokens resolve against its own attributes) but
  // reported only where it is written.
  const quiet = new DiagnosticSink();
  for (const cls of repo.list()) {
    for (const property of cls.properties) {
      if (property.declaredIn !== cls.canonicalName) continue;
      const site = (field: string): FormulaSite => ({ file: property.location.file, pointer: `${property.location.pointer}/${field}`, className: cls.canonicalName, attribute: property.name });
      if (property.formula !== undefined) {
        const b = bindSource(repo, sink, site('formula'), cls, property.name, 'formula', property.formula);
        if (b) bound.push(b);
      }
      if (isFormulaDefault(property.defaultValue)) {
        const b = bindSource(repo, sink, site('defaultValue'), cls, property.name, 'defaultValue', property.defaultValue);
        if (b) bound.push(b);
      }
      const semantic = propertySemantic(repo, sink, cls, property);
      if (semantic) bound.push(semantic);
    }
    if (cls.semantic !== undefined && cls.semantic !== null && cls.semantic !== '') {
      const own = cls.raw.semantic !== undefined && cls.raw.semantic !== null && cls.raw.semantic !== '';
      const site: FormulaSite = { file: cls.location.file, pointer: '/semantic', className: cls.canonicalName };
      const b = bindSource(repo, own ? sink : quiet, site, cls, SEMANTIC_ATTRIBUTE, 'semantic', cls.semantic);
      if (b) bound.push(b);
    }
  }
  return bound;
}

/** ion-spec §1.1: an object/array, or a string with `(` after its first character and a `)`. */
export function isFormulaDefault(value: unknown): boolean {
  if (typeof value === 'object' && value !== null) return true;
  return typeof value === 'string' && value.indexOf('(') > 0 && value.includes(')');
}

function propertySemantic(repo: MetaRepository, sink: DiagnosticSink, cls: ClassMeta, property: PropertyMeta): BoundFormula | undefined {
  const target = property.link?.target;
  if (property.semantic === undefined || !target) return undefined;
  const site: FormulaSite = { file: property.location.file, pointer: `${property.location.pointer}/semantic`, className: cls.canonicalName, attribute: property.name };
  const b = bindSource(repo, sink, site, repo.get(target), property.name, 'propertySemantic', property.semantic);
  return b ? { ...b, declaredIn: cls.canonicalName } : undefined;
}

function bindSource(
  repo: MetaRepository,
  sink: DiagnosticSink,
  site: FormulaSite,
  owner: ClassMeta,
  attribute: string,
  role: FormulaRole,
  source: unknown,
): BoundFormula | undefined {
  const semantic = role === 'semantic' || role === 'propertySemantic';
  let root: FormulaNode | undefined;
  if (semantic && typeof source === 'string') {
    root = compileSemantic(repo, owner, source);
  } else {
    root = parseReporting(sink, site, source);
  }
  if (!root) return undefined;
  const { paths, classReads } = bindFormulaAst(repo, sink, site, owner, root, semantic ? 'semantic' : 'path');
  return { owner: owner.canonicalName, declaredIn: owner.canonicalName, attribute, role, ast: root, paths, classReads };
}

function parseReporting(sink: DiagnosticSink, site: FormulaSite, source: unknown): FormulaNode | undefined {
  let result: ReturnType<typeof analyzeFormula>;
  try {
    result = analyzeFormula(source);
  } catch (error) {
    reportInFormula(sink, site, undefined, MetaCodes.formulaSyntax, 'error', `formula cannot be parsed: ${(error as Error).message}`);
    return undefined;
  }
  const callShaped = result.parsed ? callShapedObjects(result.parsed.ast) : new Map<string, string>();
  for (const d of result.diagnostics) reportFormulaDiagnostic(sink, site, d, callShaped);
  return result.parsed?.ast;
}

/**
 * Objects like `{"year": [...]}`: a call of a function ION does not have. ION keeps them as plain
 * data (comparisons with them are always false), which is never what the author meant: an error.
 */
function callShapedObjects(root: FormulaNode): Map<string, string> {
  const found = new Map<string, string>();
  walk(root, (node) => {
    if (node.kind !== 'object' || node.span.kind !== 'json' || node.entries.length !== 1) return;
    const entry = node.entries[0]!;
    if (entry.value.kind === 'array') found.set(`${node.span.pointer}/${entry.key.replace(/~/g, '~0').replace(/\//g, '~1')}`, entry.key);
  });
  return found;
}

function reportFormulaDiagnostic(sink: DiagnosticSink, site: FormulaSite, d: FormulaDiagnostic, callShaped: ReadonlyMap<string, string>): void {
  if (d.code === DiagnosticCodes.unknownKey && d.span.kind === 'json' && callShaped.has(d.span.pointer)) {
    const name = callShaped.get(d.span.pointer)!;
    reportInFormula(sink, site, d.span, MetaCodes.unknownFunction, 'error', `unknown function ${name} (ION keeps {"${name}": [...]} as plain data)`, d.code);
    return;
  }
  const code = d.code === DiagnosticCodes.unknownFunction ? MetaCodes.unknownFunction : d.severity === 'error' ? MetaCodes.formulaSyntax : MetaCodes.formulaWarning;
  reportInFormula(sink, site, d.span, code, d.severity, d.message, d.code);
}

/**
 * Binds one formula given outside any class file (the `recalc` commands, tests): against class
 * `className` as seen from `namespace`. An unknown class is reported, naming it.
 */
export function bindFormulaFor(
  repo: MetaRepository,
  className: string,
  formula: unknown,
  namespace = '',
): { readonly bound: BoundFormula | undefined; readonly diagnostics: DiagnosticSink['list'] } {
  const sink = new DiagnosticSink();
  const site: FormulaSite = { file: '<formula>', pointer: '', className };
  const cls = repo.find(className, namespace);
  if (!cls) {
    sink.error(MetaCodes.unknownClassInFormula, `class ${className} is not in the meta`, { file: '<formula>', className });
    return { bound: undefined, diagnostics: sink.list };
  }
  const bound = bindSource(repo, sink, { ...site, className: cls.canonicalName }, cls, '<formula>', 'formula', formula);
  return { bound, diagnostics: sink.list };
}
