/** Where a CLI command writes; tests pass their own to capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** aborted on Ctrl-C */
  signal: AbortSignal;
}

/** A failure the user caused (bad flag, missing file): one line on stderr, exit 1, no stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
