import { ResultStatus, TestOutcome, worstStatus } from '@testpulse/domain';

/** A test's outcome in one run; a test executed several times in a run counts by its worst status. */
export interface RunTestState {
  status: ResultStatus;
  /** Passed after a failed try in the run. */
  flaky: boolean;
  durationMs: number;
  executions: number;
  /** The fingerprint of its first fingerprinted failure in the run. */
  fingerprint?: string;
}

export interface RunDiffEntry {
  testId: string;
  a?: RunTestState;
  b?: RunTestState;
}

/**
 * Run A (the baseline) against run B. The lists do not overlap:
 * - newFailures: in both runs, not failing in A, failing (failed or errored) in B;
 * - fixed: failing in A, passed in B;
 * - stillFailing: failing in both;
 * - newTests: only in B (with their status there), removedTests: only in A;
 * - otherChanges: in both with another change of status (e.g. passed → skipped, failed → skipped).
 */
export interface RunDiff {
  testsA: number;
  testsB: number;
  newFailures: RunDiffEntry[];
  fixed: RunDiffEntry[];
  stillFailing: RunDiffEntry[];
  newTests: RunDiffEntry[];
  removedTests: RunDiffEntry[];
  otherChanges: RunDiffEntry[];
  /** In both runs with the same status. */
  unchanged: number;
}

export const isFailing = (status: ResultStatus): boolean => status === 'failed' || status === 'errored';

/** Each test of a run once, by testId. */
export function testStates(outcomes: readonly TestOutcome[]): Map<string, RunTestState> {
  const states = new Map<string, RunTestState & { statuses: ResultStatus[] }>();
  for (const outcome of outcomes) {
    const state = states.get(outcome.testId);
    if (!state) {
      states.set(outcome.testId, {
        status: outcome.status,
        statuses: [outcome.status],
        flaky: outcome.flaky,
        durationMs: outcome.durationMs,
        executions: 1,
        ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
      });
      continue;
    }
    state.statuses.push(outcome.status);
    state.status = worstStatus(state.statuses);
    state.flaky ||= outcome.flaky;
    state.durationMs += outcome.durationMs;
    state.executions += 1;
    if (state.fingerprint === undefined && outcome.fingerprint) state.fingerprint = outcome.fingerprint;
  }
  return new Map(
    [...states].map(([testId, { statuses: _statuses, ...state }]) => [testId, state as RunTestState]),
  );
}

export function compareRuns(a: readonly TestOutcome[], b: readonly TestOutcome[]): RunDiff {
  const before = testStates(a);
  const after = testStates(b);
  const diff: RunDiff = {
    testsA: before.size,
    testsB: after.size,
    newFailures: [],
    fixed: [],
    stillFailing: [],
    newTests: [],
    removedTests: [],
    otherChanges: [],
    unchanged: 0,
  };
  for (const [testId, stateB] of after) {
    const stateA = before.get(testId);
    const entry: RunDiffEntry = { testId, ...(stateA ? { a: stateA } : {}), b: stateB };
    if (!stateA) diff.newTests.push(entry);
    else if (isFailing(stateB.status))
      (isFailing(stateA.status) ? diff.stillFailing : diff.newFailures).push(entry);
    else if (isFailing(stateA.status) && stateB.status === 'passed') diff.fixed.push(entry);
    else if (stateA.status !== stateB.status) diff.otherChanges.push(entry);
    else diff.unchanged += 1;
  }
  for (const [testId, stateA] of before)
    if (!after.has(testId)) diff.removedTests.push({ testId, a: stateA });
  return diff;
}
