/** `recalc worker [flags]`: the worker process, the same as `worker.ts` (docs/worker.md). */
import type { Command } from 'commander';
import { addConfigOptions, ConfigError, configOptionsFrom, loadConfig } from '../../config/index.ts';
import { runWorker } from '../../worker/run-worker.ts';
import { CliError, type CliIo } from '../io.ts';

export function registerWorker(program: Command, io: CliIo): void {
  const command = program
    .command('worker')
    .description('follow the change feed and keep cached values fresh until SIGTERM/SIGINT (flags: docs/worker.md)');
  addConfigOptions(command).action(async (opts: Record<string, unknown>) => {
    let code: number;
    try {
      code = await runWorker(loadConfig({ env: process.env, options: configOptionsFrom(opts) }), { err: io.err });
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message, 1);
      throw error;
    }
    if (code !== 0) throw new CliError('worker stopped on an error', code);
    // A client library's stray timer must not keep a stopped worker alive (unref: a clean exit is not delayed).
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
