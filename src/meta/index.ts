/**
 * The meta layer's public entry: load a directory of ION class files, validate, bind every
 * formula and build the dependency graph, collecting every problem on the way.
 */
import { sortDiagnostics, type MetaDiagnostic } from './diagnostics.ts';
import { buildDependencyGraph, type DependencyGraph } from './graph/build.ts';
import { analyzeLoaded, loadMetaDir, loadMetaTexts, type AnalyzedMeta, type LoadedMeta, type LoadOptions } from './load.ts';
import type { ClassFileTexts } from './read-files.ts';
import { reportDependencies } from './report-dependencies.ts';

export interface MetaModel extends AnalyzedMeta {
  readonly graph: DependencyGraph;
  /** Every problem, sorted by file and position. */
  readonly diagnostics: readonly MetaDiagnostic[];
}

function complete(loaded: LoadedMeta): MetaModel {
  const analyzed = analyzeLoaded(loaded);
  const graph = buildDependencyGraph(analyzed.repository, analyzed.formulas, analyzed.declared);
  reportDependencies(analyzed.repository, graph, analyzed.declared, loaded.sink);
  return { ...analyzed, graph, diagnostics: sortDiagnostics(loaded.sink.list) };
}

/** Loads, validates and binds every `*.class.json` under `dir`, and builds the dependency graph. */
export function openMeta(dir: string, options: LoadOptions = {}): MetaModel {
  return complete(loadMetaDir(dir, options));
}

/** Same as `openMeta`, from texts (file name → JSON). */
export function openMetaTexts(texts: ClassFileTexts, options: LoadOptions = {}): MetaModel {
  return complete(loadMetaTexts(texts, options));
}

export type { LoadOptions } from './load.ts';
export { formatMetaDiagnostic, hasErrors, metaExcerpt, MetaCodes, type MetaDiagnostic } from './diagnostics.ts';
export type { ClassMeta, PropertyMeta, LinkMeta, LinkKind, StorageMeta } from './model.ts';
export type { MetaRepository } from './repository.ts';
export type { BoundFormula, BoundPath, Hop } from './bound.ts';
export type { DependencyGraph } from './graph/build.ts';
export type { LookupIndex } from './graph/indexes.ts';
export type { Trigger, ReverseStep, CacheTarget, ReadEdge, TargetRef, DeclaredEdge, UndeclaredEdge } from './graph/types.ts';
export { bindFormulaFor } from './bind-all.ts';
export { compileSemantic, toObjectSyntax } from './semantic.ts';
export { objectId, keyValues, classFilter } from './storage.ts';
export { PropertyType, propertyTypeName } from './property-types.ts';
