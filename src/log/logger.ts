/**
 * Structured JSON logs (pino). One root logger per process; every component logs through a
 * child scoped with `component` (and, where it helps, `job`, `class`, `id`), so one grep finds
 * a component's lines.
 */
import { pino, type Logger, type LevelWithSilent, type DestinationStream } from 'pino';

export type { Logger };

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level (default `info`; `silent` turns logging off). */
  readonly level?: LevelWithSilent;
  /** Where lines go (default stdout); tests pass a stream to read them back. */
  readonly destination?: DestinationStream;
  /** Fields on every line (e.g. `{ pid }` is added by pino already; a worker name). */
  readonly base?: Record<string, unknown>;
}

/** Creates the root logger: JSON lines, ISO timestamps, `level` as a label. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { pid: process.pid, ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}

/** A child logger scoped to a component (`feed`, `queue`, `http`…). */
export function componentLogger(root: Logger, component: string, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...bindings });
}

/** A logger that drops everything, the default where none is injected. */
export const silentLogger: Logger = pino({ level: 'silent' });
