import { RESULT_STATUSES } from '@testpulse/domain';
import { DEFAULT_FLAKINESS_OPTIONS, FlakinessExecution } from '@testpulse/analytics';
import { StatesWindow } from '../history/states-window';

/** What the flakiness classifier reads of test `t` of a states window, oldest first. */
export function flakinessExecutionsOf(window: StatesWindow, t: number): FlakinessExecution[] {
  const list: FlakinessExecution[] = [];
  for (let p = window.offsets[t]; p < window.offsets[t + 1]; p++) {
    const run = window.runs[window.run[p]];
    list.push({
      runId: run.runId,
      at: run.startedAt,
      time: run.time,
      commit: run.commit,
      branch: run.branch,
      status: RESULT_STATUSES[window.status[p]],
      retriedPass: window.flaky[p] === 1,
      runFailingShare: run.failingShare,
    });
  }
  return list;
}

const PASSED = RESULT_STATUSES.indexOf('passed');
const SKIPPED = RESULT_STATUSES.indexOf('skipped');

/**
 * For test `t` of a states window without failures and without passes after a retry outside outage
 * runs: how many of its executions the classifier counts (not skipped, not in an outage run). The
 * classifier drops outage runs before looking at them, so failures there change nothing; in an outage
 * nearly every test fails, so without this nearly every test would need the classifier. `undefined`
 * when it has a failure or a retry pass elsewhere, so it needs the classifier.
 */
export function countedWithoutFailures(
  window: StatesWindow,
  t: number,
  outageShare = DEFAULT_FLAKINESS_OPTIONS.outageShare,
): number | undefined {
  let counted = 0;
  for (let p = window.offsets[t]; p < window.offsets[t + 1]; p++) {
    if (window.status[p] === SKIPPED || window.runs[window.run[p]].failingShare >= outageShare) continue;
    if (window.status[p] !== PASSED || window.flaky[p] === 1) return undefined;
    counted += 1;
  }
  return counted;
}
