/**
 * Writes `grammar/diagrams.html`, the railroad diagrams of the string-formula grammar, from the
 * parser's serialized grammar. `--check` only compares: exit code 1 when the committed file is
 * stale (run `npm run grammar` to refresh it).
 *
 * The page loads Chevrotain's diagram scripts from a CDN at a pinned version; the file itself is
 * a pure function of the grammar, so regenerating it is deterministic.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { formulaParser } from './parser.ts';

const target = fileURLToPath(new URL('./diagrams.html', import.meta.url));

/** The diagrams page for the current grammar. */
export function diagramsHtml(): string {
  return createSyntaxDiagramsCode(formulaParser.getSerializedGastProductions());
}

function main(argv: readonly string[]): number {
  const html = diagramsHtml();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(target, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current === html) return 0;
    process.stderr.write('grammar/diagrams.html is stale: run `npm run grammar`\n');
    return 1;
  }
  writeFileSync(target, html);
  process.stdout.write(`wrote ${target}\n`);
  return 0;
}

// Run only as a script, so tests can import `diagramsHtml` without writing anything.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
