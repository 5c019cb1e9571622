/** Final outcome of one test execution. `errored` is an error outside the assertion (setup, crash, timeout). */
export const RESULT_STATUSES = ['passed', 'failed', 'errored', 'skipped'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export interface Attempt {
  status: ResultStatus;
  durationMs: number;
  message?: string;
}

export interface ResultError {
  type?: string;
  message?: string;
  stack?: string;
}

/** One test execution, whatever format it came in. */
export interface TestResult {
  suite: string;
  name: string;
  file?: string;
  status: ResultStatus;
  durationMs: number;
  /** Earlier tries inside the same run (reruns/retries), oldest first; the final outcome is `status`. */
  attempts?: Attempt[];
  error?: ResultError;
  tags?: string[];
  /** Set by formats that state flakiness explicitly (CTRF `flaky`). */
  flaky?: boolean;
  systemOut?: string;
  systemErr?: string;
}

export interface RunSummary {
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  durationMs: number;
}

/** Precedence when one test case carries several outcomes: errored > failed > skipped > passed. */
const PRECEDENCE: Record<ResultStatus, number> = { errored: 3, failed: 2, skipped: 1, passed: 0 };

export function worstStatus(statuses: Iterable<ResultStatus>): ResultStatus {
  let worst: ResultStatus = 'passed';
  for (const status of statuses) if (PRECEDENCE[status] > PRECEDENCE[worst]) worst = status;
  return worst;
}

/** Passed in the end after at least one failed or errored try in the same run (or said so by the report). */
export function isFlaky(result: Pick<TestResult, 'status' | 'attempts' | 'flaky'>): boolean {
  if (result.status !== 'passed') return false;
  if (result.flaky) return true;
  return (result.attempts ?? []).some((a) => a.status === 'failed' || a.status === 'errored');
}

export function emptySummary(): RunSummary {
  return { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, durationMs: 0 };
}

/** Adds results to a summary; durationMs is the sum of the test durations. */
export function addToSummary(summary: RunSummary, results: Iterable<TestResult>): RunSummary {
  for (const result of results) {
    summary.tests += 1;
    summary[result.status] += 1;
    if (isFlaky(result)) summary.flaky += 1;
    summary.durationMs += result.durationMs;
  }
  summary.durationMs = Math.round(summary.durationMs);
  return summary;
}

/** Summaries added up, field by field (runs of a day, a run's batches so far). */
export function addSummaries(...summaries: RunSummary[]): RunSummary {
  const total = emptySummary();
  for (const summary of summaries)
    for (const key of Object.keys(total) as Array<keyof RunSummary>) total[key] += summary[key];
  return total;
}

export function summarize(results: Iterable<TestResult>): RunSummary {
  return addToSummary(emptySummary(), results);
}
