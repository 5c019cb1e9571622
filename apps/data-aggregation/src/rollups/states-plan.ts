import { RunState } from '@testpulse/contracts';
import { ResultStatus, RunSummary, TestState, packStates } from '@testpulse/domain';
import { runKey } from '../runs/schemas/run.schema';
import { RunStates } from './schemas/run-states.schema';

export interface StateInput {
  testId: string;
  status: ResultStatus;
  flaky: boolean;
  fingerprint?: string;
}

export interface StatesRun {
  project: string;
  runId: string;
  day: string;
  startedAt: Date;
  finishedAt?: Date;
  branch?: string;
  commit?: string;
  environment?: string;
}

const failing = (status: ResultStatus) => status === 'failed' || status === 'errored';

/**
 * A finished run's states document. Executions of tests without an ordinal (not in the catalogue) are
 * left out of the states and returned as `unnumbered`; they still count in runTests and runFailing.
 */
export function planRunStates(
  run: StatesRun,
  status: RunState,
  summary: RunSummary,
  results: readonly StateInput[],
  ordinals: ReadonlyMap<string, number>,
): { doc: RunStates; unnumbered: number } {
  const entries: TestState[] = [];
  for (const r of results) {
    const ordinal = ordinals.get(r.testId);
    if (ordinal === undefined) continue;
    entries.push({
      ordinal,
      status: r.status,
      flaky: r.flaky,
      ...(failing(r.status) && r.fingerprint ? { fingerprint: r.fingerprint } : {}),
    });
  }
  const packed = packStates(entries);
  return {
    doc: {
      _id: runKey(run.project, run.runId),
      project: run.project,
      runId: run.runId,
      day: run.day,
      startedAt: run.startedAt,
      ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
      status,
      ...(run.branch ? { branch: run.branch } : {}),
      ...(run.commit ? { commit: run.commit } : {}),
      ...(run.environment ? { environment: run.environment } : {}),
      summary,
      runTests: results.length,
      runFailing: results.filter((r) => failing(r.status)).length,
      states: packed.states,
      failures: packed.failures,
    },
    unnumbered: results.length - entries.length,
  };
}
