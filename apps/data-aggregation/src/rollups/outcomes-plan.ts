import { RunState } from '@testpulse/contracts';
import { ResultStatus, TestOutcome, packOutcomes } from '@testpulse/domain';
import { OUTCOMES_PER_PART, RunOutcomes, runOutcomesId } from './schemas/run-outcomes.schema';

export interface OutcomeInput {
  testId: string;
  status: ResultStatus;
  flaky: boolean;
  durationMs: number;
  /** Tries before the final one. */
  attempts: number;
  fingerprint?: string;
}

export interface OutcomesRun {
  project: string;
  runId: string;
  day: string;
  startedAt: Date;
  branch?: string;
  commit?: string;
  environment?: string;
}

/** A finished run's per-test rollup documents: its executions packed, in parts of bounded size. */
export function planRunOutcomes(
  run: OutcomesRun,
  status: RunState,
  results: readonly OutcomeInput[],
  perPart = OUTCOMES_PER_PART,
): RunOutcomes[] {
  const outcomes: TestOutcome[] = results.map((r) => ({
    testId: r.testId,
    status: r.status,
    flaky: r.flaky,
    attempts: r.attempts,
    durationMs: r.durationMs,
    ...((r.status === 'failed' || r.status === 'errored') && r.fingerprint
      ? { fingerprint: r.fingerprint }
      : {}),
  }));
  const runFailing = outcomes.filter((o) => o.status === 'failed' || o.status === 'errored').length;
  const parts = Math.max(1, Math.ceil(outcomes.length / perPart));
  const docs: RunOutcomes[] = [];
  for (let part = 0; part < parts; part++) {
    const packed = packOutcomes(outcomes.slice(part * perPart, (part + 1) * perPart));
    docs.push({
      _id: runOutcomesId(run.project, run.runId, part),
      project: run.project,
      runId: run.runId,
      part,
      parts,
      day: run.day,
      startedAt: run.startedAt,
      status,
      ...(run.branch ? { branch: run.branch } : {}),
      ...(run.commit ? { commit: run.commit } : {}),
      ...(run.environment ? { environment: run.environment } : {}),
      runTests: outcomes.length,
      runFailing,
      outcomes: packed.outcomes,
      failures: packed.failures,
    });
  }
  return docs;
}
