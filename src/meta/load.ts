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

export interface LoadedMeta {
  readonly repository: MetaRepository;
  readonly diagnostics: readonly MetaDiagnostic[];
  /** The sink, with every file's source: later phases (binding) add to it. */
  readonly sink: DiagnosticSink;
}

export type LoadOptions = BuildOptions;

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
