/** Exit statuses of the CLI. */
export const EXIT = {
  ok: 0,
  /** The server refused the upload, or could not be reached. */
  failed: 1,
  /** Bad usage or bad input: a malformed or unsupported file, a missing option. */
  input: 2,
} as const;

/** An error the CLI reports as one line on stderr, then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** One line: newlines and runs of whitespace become single spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
