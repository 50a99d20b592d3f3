/**
 * `recalc demo-formulas`: evaluates telecom-ru's real `pochtamt` formulas on the bundled example object
 * (`examples/pochtamt.json`, the harness of ion-spec §1.5) and prints each value.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { compileFormula } from '../../formula/compile.ts';
import { encodeValue } from '../../formula/value-encoding.ts';
import type { CliIo } from '../io.ts';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/pochtamt.json');

/** The cached attributes of telecom-ru's `pochtamt` class, as written in its meta. */
const FORMULAS: readonly [string, string][] = [
  ['kolStatOps', 'count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, b), 1)'],
  ['kolPerOps', 'count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, c), 1)'],
  ['terrObslu', "merge($raionObslu.oktmo_nasPunkta.svyaz.ops,naselenniyPunkt.okato.name,&eq($gops, c),1,', ')"],
  ['(without unique)', 'count($raionObslu.oktmo_nasPunkta.svyaz.ops,&eq($gops, b))'],
  ['(no condition)', 'count($raionObslu.oktmo_nasPunkta.svyaz.ops)'],
];

export function registerDemoFormulas(program: Command, io: CliIo): void {
  program
    .command('demo-formulas')
    .description("evaluate telecom-ru's pochtamt formulas on the bundled example object")
    .action(() => {
      const object = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as object;
      io.out(`example object: ${EXAMPLE}`);
      for (const [attribute, formula] of FORMULAS) {
        const compiled = compileFormula(formula);
        const reads = compiled.reads.map((r) => (r.kind === 'path' ? r.segments.join('.') : `class ${r.className}`));
        io.out(`\n${attribute} = ${formula}`);
        io.out(`  reads: ${reads.join(', ')}`);
        io.out(`  value: ${JSON.stringify(encodeValue(compiled.evaluate(object)))}`);
      }
    });
}
