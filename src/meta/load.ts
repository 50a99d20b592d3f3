/**
 * Loading class meta: read the files, build the classes, check their structure. Returns the
 * repository and every problem found; never throws for bad meta.
 */
import type { MetaDiagnostic } from './diagnostics.ts';
import { buildClasses, type BuildOptions } from './build-classes.ts';
import { checkStructure } from './check-structure.ts';
import { readClassDir, readClassTexts, type ClassFileTexts } from './read-files.ts';
import type { MetaRepository } from './repository.ts';
import { DiagnosticSink } from './sink.ts';
import { bindAll } from './bind-all.ts';
import type { BoundFormula } from './bound.ts';
import { checkCacheDependencies, type DeclaredDependency } from './check-cache-deps.ts';

export interface LoadedMeta {
  readonly repository: MetaRepository;
  readonly diagnostics: readonly MetaDiagnostic[];
  /** The sink, with every file's source: later phases (binding) add to it. */
  readonly sink: DiagnosticSink;
}

export type LoadOptions = BuildOptions;

/** Loaded meta with every formula bound and every declared dependency resolved. */
export interface AnalyzedMeta extends LoadedMeta {
  readonly formulas: readonly BoundFormula[];
  readonly declared: readonly DeclaredDependency[];
}

/** Binds the formulas and `cacheDependencies` of loaded meta, adding their problems. */
export function analyzeLoaded(loaded: LoadedMeta): AnalyzedMeta {
  const formulas = bindAll(loaded.repository, loaded.sink);
  const declared = checkCacheDependencies(loaded.repository, loaded.sink);
  return { ...loaded, diagnostics: loaded.sink.list, formulas, declared };
}

/** Loads every `*.class.json` under `dir` (recursively). */
export function loadMetaDir(dir: string, options: LoadOptions = {}): LoadedMeta {
  const sink = new DiagnosticSink();
  return finish(readClassDir(dir, sink), sink, options);
}

/** Loads class files given as texts (file name → JSON). */
export function loadMetaTexts(texts: ClassFileTexts, options: LoadOptions = {}): LoadedMeta {
  const sink = new DiagnosticSink();
  return finish(readClassTexts(texts, sink), sink, options);
}

function finish(files: ReturnType<typeof readClassTexts>, sink: DiagnosticSink, options: LoadOptions): LoadedMeta {
  const repository = buildClasses(files, sink, options);
  checkStructure(repository, sink);
  return { repository, diagnostics: sink.list, sink };
}
