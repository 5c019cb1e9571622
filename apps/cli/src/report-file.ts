import { summarize } from '@testpulse/domain';
import { type ParsedReport, ResultFormatError, parseReport } from '@testpulse/result-formats';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CliError, EXIT, oneLine } from './cli-error';

/** What `parse` prints. */
export interface ParseSummary {
  format: ParsedReport['format'];
  suites: number;
  tests: number;
  passed: number;
  /** Failed assertions; errored tests are counted apart. */
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  /** The run's wall clock when the report states it, else the sum of the test durations. */
  durationMs: number;
}

export function summaryOf(report: ParsedReport): ParseSummary {
  const totals = summarize(report.results);
  return {
    format: report.format,
    suites: report.suites,
    tests: totals.tests,
    passed: totals.passed,
    failed: totals.failed,
    errored: totals.errored,
    skipped: totals.skipped,
    flaky: totals.flaky,
    durationMs: Math.round(report.durationMs ?? totals.durationMs),
  };
}

/** A problem with an input file as the CLI reports it: `file:line:column: what` or `file: path what`. */
export function inputProblem(file: string, error: unknown): CliError {
  if (error instanceof ResultFormatError) {
    const where = error.line !== undefined ? `${file}:${error.line}:${error.column ?? 1}` : file;
    return new CliError(
      oneLine(`${where}: ${error.line !== undefined ? error.reason : error.message}`),
      EXIT.input,
    );
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new CliError(`${file}: no such file`, EXIT.input);
  if (code === 'EISDIR') return new CliError(`${file}: is a directory, not a report file`, EXIT.input);
  if (code === 'EACCES' || code === 'EPERM') return new CliError(`${file}: permission denied`, EXIT.input);
  if (error instanceof Error) return new CliError(oneLine(`${file}: ${error.message}`), EXIT.input);
  throw error;
}

async function ensureFile(file: string): Promise<void> {
  const info = await stat(file).catch((error: unknown) => {
    throw inputProblem(file, error);
  });
  if (info.isDirectory()) throw inputProblem(file, Object.assign(new Error('directory'), { code: 'EISDIR' }));
}

/** Parses a report file (or `-`, standard input), streaming it; problems become `CliError`s (exit 2). */
export async function parseReportFile(file: string): Promise<ParsedReport> {
  let stream: Readable;
  if (file === '-') {
    stream = process.stdin;
  } else {
    await ensureFile(file);
    stream = createReadStream(file);
  }
  try {
    return await parseReport(stream);
  } catch (error) {
    throw inputProblem(file === '-' ? '(stdin)' : file, error);
  } finally {
    if (stream !== process.stdin) stream.destroy();
  }
}
