/**
 * The import graph of a source tree, read with the TypeScript parser: which file imports which,
 * at run time. Type-only imports (`import type`, `export type`, or every specifier marked `type`)
 * are erased by the compiler, so they are kept apart: they neither make cycles nor cross layers
 * at run time, but a type import across layers is still a dependency the layer rules check.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing file, relative to the tree's root, `/`-separated (`recompute/session.ts`). */
  readonly from: string;
  /** Imported file, the same way; `../x` when it lies outside the root. */
  readonly to: string;
  /** Erased by the compiler: a type-only import. */
  readonly typeOnly: boolean;
}

/** Relative imports of one module's source (`./a.ts`, `../b/index.ts`), bare packages left out. */
export function importsOf(fileName: string, source: string): { readonly specifier: string; readonly typeOnly: boolean }[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      // `import { type A, type B } from …` is erased too (with verbatimModuleSyntax off it is
      // dropped; with it on, an empty import remains, which loads nothing new for a cycle).
      const typeOnly = clause !== undefined && (clause.isTypeOnly
        || (clause.name === undefined && named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      const typeOnly = node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push({ specifier: argument.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found.filter((i) => i.specifier.startsWith('.'));
}

/** The edges of a tree given as file → source (paths relative to the root, `/`-separated). */
export function importGraph(sources: ReadonlyMap<string, string>): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const [from, source] of sources) {
    for (const { specifier, typeOnly } of importsOf(from, source)) {
      const to = normalize(join(dirname(from), specifier)).split(sep).join('/');
      edges.push({ from, to, typeOnly });
    }
  }
  return edges;
}

/** Every `.ts` file below `root`, as file → source. */
export function readTree(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) sources.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return sources;
}

/** The cycles among run-time imports, each as the files around it (first file repeated last). */
export function runtimeCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const to of [...(next.get(file) ?? [])].sort()) {
      if (state.get(to) === 'open') cycles.push([...path.slice(path.indexOf(to)), to]);
      else if (!state.has(to)) visit(to);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of [...next.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

/** The top folder of a path relative to the tree's root (`recompute`), or the file at the root. */
export function layerOf(path: string): string {
  return path.split('/')[0]!;
}
