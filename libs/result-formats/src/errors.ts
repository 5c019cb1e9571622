/** Where in the input a problem is: a line and column (XML, JSON text) or a JSON path. */
export interface ProblemLocation {
  /** 1-based line. */
  line?: number;
  /** 1-based column (characters). */
  column?: number;
  /** JSON path of the offending value, e.g. `results.tests[3].status`. */
  path?: string;
}

/**
 * The input is not a report this library can read: malformed XML or JSON, a document of another kind,
 * or a value that breaks the format's rules. The message says what is wrong and where (line and column
 * or the JSON path); a caller adds the file name when it has one.
 */
export class ResultFormatError extends Error {
  /** What is wrong, without the location (`message` has both). */
  readonly reason: string;
  readonly line?: number;
  readonly column?: number;
  readonly path?: string;

  constructor(message: string, location: ProblemLocation = {}) {
    super(ResultFormatError.describe(message, location));
    this.name = 'ResultFormatError';
    this.reason = message;
    this.line = location.line;
    this.column = location.column;
    this.path = location.path;
  }

  private static describe(message: string, { line, column, path }: ProblemLocation): string {
    if (line !== undefined) return `line ${line}, column ${column ?? 1}: ${message}`;
    if (path !== undefined && !message.startsWith(path)) return `${path}: ${message}`;
    return message;
  }
}

/** The input is larger than the `maxBytes` the caller allows; reading stopped there. */
export class InputTooLargeError extends ResultFormatError {
  constructor(readonly maxBytes: number) {
    super(`input is larger than the limit of ${maxBytes} bytes`);
    this.name = 'InputTooLargeError';
  }
}
