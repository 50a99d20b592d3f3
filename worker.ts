#!/usr/bin/env -S npx tsx
/**
 * The worker process (composition root): configuration from the environment and the flags of
 * docs/worker.md's table, then `startWorker`; SIGTERM/SIGINT shut it down gracefully (exit 0).
 * Bad configuration stops start-up with one clear message (exit 1). Run: `npx tsx worker.ts`
 * (or `recalc worker`, the same thing).
 */
import { ConfigError } from './src/config/index.ts';
import { configFromProcess, runWorker } from './src/worker/run-worker.ts';

async function main(): Promise<number> {
  try {
    return await runWorker(configFromProcess(process.argv, process.env));
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

// Exit explicitly: a client library's stray timer must not keep a stopped worker alive.
process.exit(await main());
