import type { TestResult } from '@testpulse/domain';

export const REPORT_FORMATS = ['junit', 'ctrf', 'native'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A test report in the platform's normalized model, whatever format it came in. */
export interface ParsedReport {
  format: ReportFormat;
  /** Distinct suite names among the results. */
  suites: number;
  results: TestResult[];
  /** Name of the run, when the report gives one (JUnit root `name`, CTRF `environment.reportName`). */
  name?: string;
  /** ISO 8601 (UTC). */
  startedAt?: string;
  finishedAt?: string;
  /**
   * Wall-clock duration of the run when the report states it (JUnit root `time`, CTRF summary
   * `duration` or stop - start, native finishedAt - startedAt); undefined otherwise.
   */
  durationMs?: number;
  /** Run metadata the report states itself (native reports always do; CTRF may). */
  project?: string;
  runId?: string;
  branch?: string;
  commit?: string;
  environment?: string;
}

export function countSuites(results: readonly TestResult[]): number {
  return new Set(results.map((r) => r.suite)).size;
}
