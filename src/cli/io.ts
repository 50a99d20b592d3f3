/** What every command shares: where output goes, and the error that stops a command cleanly. */

/** Thrown by a command to stop with a message and an exit code (no stack trace printed). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Output streams of a command run (captured in tests). */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}
