/** Splits a stream of text chunks into lines; a line cut between two chunks is joined again. */
export class LineSplitter {
  private rest = '';

  /** Returns the lines completed by this chunk (without their line ends). */
  push(chunk: string): string[] {
    const parts = (this.rest + chunk).split('\n');
    this.rest = parts.pop() ?? '';
    return parts.map(stripCarriageReturn);
  }

  /** Returns the unterminated last line, if any (call when the stream ends). */
  flush(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest === '' ? [] : [stripCarriageReturn(rest)];
  }
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Keeps the last `capacity` lines written to it. */
export class TailBuffer {
  private buffer: string[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error('TailBuffer capacity must be a positive integer');
  }

  push(line: string): void {
    this.buffer.push(line);
    if (this.buffer.length > this.capacity) this.buffer.splice(0, this.buffer.length - this.capacity);
  }

  /** The last `count` lines (all kept lines by default), oldest first. */
  lines(count = this.capacity): string[] {
    return count <= 0 ? [] : this.buffer.slice(-count);
  }

  clear(): void {
    this.buffer = [];
  }
}

/** A block for error messages: a header naming the app and its log file, then its last lines. */
export function formatTail(app: string, lines: readonly string[], logFile: string): string {
  const header = `--- ${app}: last ${lines.length} log line(s) (full log: ${logFile}) ---`;
  return lines.length === 0 ? `${header}\n(no output)` : `${header}\n${lines.join('\n')}`;
}
