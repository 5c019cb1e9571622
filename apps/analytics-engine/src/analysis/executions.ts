import { RESULT_STATUSES } from '@testpulse/domain';
import {
  DEFAULT_FLAKINESS_OPTIONS,
  FlakinessClassifier,
  FlakinessVerdict,
  flakinessRunColumns,
} from '@testpulse/analytics';
import { StatesWindow } from '../history/states-window';

/**
 * Judges the tests of a states window: `t` → the verdict on test `t`'s executions, oldest first. One
 * classifier reads the window's own columns, its runs' commits and branches numbered once.
 */
export function flakinessOf(window: StatesWindow): (t: number) => FlakinessVerdict {
  const runs = flakinessRunColumns(
    window.runs.map((run) => ({
      time: run.time,
      at: run.startedAt,
      commit: run.commit,
      branch: run.branch,
      failingShare: run.failingShare,
    })),
  );
  const classifier = new FlakinessClassifier(runs);
  const executions = { run: window.run, status: window.status, retriedPass: window.flaky };
  return (t) => classifier.classify(executions, window.offsets[t], window.offsets[t + 1]);
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
