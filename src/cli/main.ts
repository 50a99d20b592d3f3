/**
 * The `recalc` command line. Each command lives in `commands/<name>.ts` and registers itself on
 * the program; `main` returns the exit code instead of calling `process.exit`, so tests can run it.
 */
import { Command, CommanderError } from 'commander';
import { registerParse } from './commands/parse.ts';
import { registerEval } from './commands/eval.ts';
import { registerDemo } from './commands/demo.ts';
import { registerDemoFormulas } from './commands/demo-formulas.ts';
import { registerStoreTransfer } from './commands/store-transfer.ts';
import { registerRebuild } from './commands/rebuild.ts';
import { registerReplay } from './commands/replay.ts';
import { registerCheck } from './commands/check.ts';
import { registerGraph } from './commands/graph.ts';
import { registerWorker } from './commands/worker.ts';
import { registerStatus } from './commands/status.ts';
import { registerRefresh } from './commands/refresh.ts';
import { registerInitIndexes } from './commands/init-indexes.ts';
import { registerPruneJournal } from './commands/prune-journal.ts';
import { CliError, type CliIo } from './io.ts';

export { CliError, type CliIo } from './io.ts';

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

export function buildProgram(io: CliIo): Command {
  const program = new Command('recalc')
    .description('Keeps the cached computed attributes of ION-style applications correct')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  registerParse(program, io);
  registerEval(program, io);
  registerDemo(program, io);
  registerDemoFormulas(program, io);
  registerStoreTransfer(program, io);
  registerRebuild(program, io);
  registerReplay(program, io);
  registerCheck(program, io);
  registerGraph(program, io);
  registerWorker(program, io);
  registerStatus(program, io);
  registerRefresh(program, io);
  registerInitIndexes(program, io);
  registerPruneJournal(program, io);
  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      io.err(error.message);
      return error.exitCode;
    }
    io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return 2;
  }
}
