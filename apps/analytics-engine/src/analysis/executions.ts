import { ResultStatus } from '@testpulse/domain';
import { RunWithOutcomes } from '../history/history.client';

/** One execution of one test, with what its run says about it. */
export interface TestExecution {
  runId: string;
  at: string;
  day: string;
  commit?: string;
  branch?: string;
  status: ResultStatus;
  /** Passed after a failed or errored try in the same run. */
  retriedPass: boolean;
  attempts: number;
  durationMs: number;
  fingerprint?: string;
  /** Share of the run's executions that failed or errored (outage detection). */
  runFailingShare: number;
}

/** Each test's executions, oldest first (runs come oldest first). */
export function executionsByTest(runs: readonly RunWithOutcomes[]): Map<string, TestExecution[]> {
  const byTest = new Map<string, TestExecution[]>();
  for (const run of runs) {
    for (const outcome of run.outcomes) {
      let list = byTest.get(outcome.testId);
      if (!list) byTest.set(outcome.testId, (list = []));
      list.push({
        runId: run.runId,
        at: run.startedAt,
        day: run.day,
        ...(run.commit ? { commit: run.commit } : {}),
        ...(run.branch ? { branch: run.branch } : {}),
        status: outcome.status,
        retriedPass: outcome.flaky,
        attempts: outcome.attempts,
        durationMs: outcome.durationMs,
        ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
        runFailingShare: run.failingShare,
      });
    }
  }
  return byTest;
}
