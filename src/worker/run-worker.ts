/**
 * Runs a worker as a process does: start, wait for SIGTERM/SIGINT (or a feed that fails for
 * good), shut down gracefully, and say which exit code the process should end with. Shared by
 * `worker.ts` and `recalc worker`.
 */
import { Command } from 'commander';
import { addConfigOptions, ConfigError, configOptionsFrom, loadConfig, type WorkerConfig } from '../config/index.ts';
import { startWorker, type RunningWorker, type StartWorkerOptions } from './start-worker.ts';

/** Exit codes: 0 after a signal, 1 for bad configuration or a failed feed. */
export type WorkerExitCode = 0 | 1;

/** Options of {@link runWorker}. */
export interface RunWorkerOptions extends StartWorkerOptions {
  /** Where the one-line start-up error goes (default stderr). */
  readonly err?: (text: string) => void;
  /** Called once the worker runs (tests, the bench). */
  readonly onStarted?: (worker: RunningWorker) => void;
  /** Signals that shut the worker down (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * Starts the worker and resolves with the exit code once it has shut down. A configuration
 * problem (invalid values, an unreachable server, an unknown schedule class, invalid meta) is
 * printed as one message and gives 1 without starting anything.
 */
export async function runWorker(config: WorkerConfig, options: RunWorkerOptions = {}): Promise<WorkerExitCode> {
  const err = options.err ?? ((text: string) => process.stderr.write(`${text}\n`));
  let worker: RunningWorker;
  try {
    worker = await startWorker(config, options);
  } catch (error) {
    if (error instanceof ConfigError) {
      err(error.message);
      return 1;
    }
    throw error;
  }
  options.onStarted?.(worker);
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const signalled = new Promise<NodeJS.Signals>((resolve) => (onSignal = resolve));
  for (const signal of signals) process.once(signal, onSignal);
  try {
    const outcome = await Promise.race([
      signalled.then((signal) => ({ signal })),
      worker.feed.then(
        () => ({ signal: null }),
        (error: unknown) => ({ error }),
      ),
    ]);
    if ('error' in outcome) {
      err(`the change feed failed: ${(outcome.error as Error).message ?? String(outcome.error)}`);
      await worker.stop();
      return 1;
    }
    await worker.stop();
    return 0;
  } finally {
    for (const signal of signals) process.removeListener(signal, onSignal);
  }
}

/**
 * `worker.ts`'s argument handling: the configuration flags (docs/worker.md's table) over the
 * environment. Returns the configuration, or throws {@link ConfigError}.
 */
export function configFromProcess(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): WorkerConfig {
  const command = addConfigOptions(new Command('worker').description('keeps cached computed attributes fresh').allowExcessArguments(false));
  command.parse([...argv]);
  return loadConfig({ env, options: configOptionsFrom(command.opts()) });
}
