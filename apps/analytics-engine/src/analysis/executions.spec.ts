import { RunStatesView } from '@testpulse/contracts';
import { FlakinessExecution, classifyFlakiness, classifyWithoutFailures } from '@testpulse/analytics';
import { RESULT_STATUSES, TestOutcome, TestState, packStates } from '@testpulse/domain';
import { OutcomeWindow } from '../history/outcome-window';
import { packedOutcomes, runHeader, testIdOf } from '../history/window-fixtures.test';
import { StatesWindow } from '../history/states-window';
import { countedWithoutFailures, flakinessOf } from './executions';

/** Test `t`'s executions of a states window as the classifier's list takes them, oldest first. */
const flakinessExecutionsOf = (w: StatesWindow, t: number): FlakinessExecution[] =>
  Array.from({ length: w.offsets[t + 1] - w.offsets[t] }, (_, i) => {
    const p = w.offsets[t] + i;
    const run = w.runs[w.run[p]];
    return {
      runId: run.runId,
      at: run.startedAt,
      time: run.time,
      commit: run.commit,
      branch: run.branch,
      status: RESULT_STATUSES[w.status[p]],
      retriedPass: w.flaky[p] === 1,
      runFailingShare: run.failingShare,
    };
  });

/** Test `t`'s executions as the window's columns hold them, oldest first. */
const executionsOf = (w: OutcomeWindow, t: number) =>
  Array.from({ length: w.offsets[t + 1] - w.offsets[t] }, (_, i) => {
    const p = w.offsets[t] + i;
    const run = w.runs[w.run[p]];
    return {
      runId: run.runId,
      commit: run.commit,
      status: RESULT_STATUSES[w.status[p]],
      retriedPass: w.flaky[p] === 1,
      attempts: w.attempts[p],
      durationMs: w.durationMs[p],
      fingerprint: w.fingerprints.get(p),
    };
  });

const outcome = (n: number, status: TestOutcome['status'], flaky = false): TestOutcome => ({
  testId: testIdOf(n),
  status,
  flaky,
  attempts: flaky ? 1 : 0,
  durationMs: n,
  ...(status === 'failed' ? { fingerprint: `${n}`.padStart(16, 'f') } : {}),
});

describe('OutcomeWindow', () => {
  const window = OutcomeWindow.decode(
    [
      runHeader('r1', '2026-11-01T10:00:00Z'),
      runHeader('r0', '2026-11-01T11:00:00Z'),
      runHeader('r2', '2026-11-02T10:00:00Z'),
    ],
    new Map([
      [
        'r1',
        packedOutcomes('r1', [
          outcome(1, 'passed'),
          outcome(2, 'failed'),
          outcome(3, 'skipped'),
          outcome(4, 'passed'),
        ]),
      ],
      // r0 has no stored outcomes (unfinished): it is left out.
      ['r2', packedOutcomes('r2', [outcome(2, 'passed'), outcome(1, 'passed', true), outcome(5, 'errored')])],
    ]),
  );

  it('keeps the runs that have outcomes, with the failing share of executed tests', () => {
    expect(window.runs.map((run) => [run.runId, run.failingShare, run.time])).toEqual([
      ['r1', 1 / 3, Date.parse('2026-11-01T10:00:00Z')],
      ['r2', 1 / 3, Date.parse('2026-11-02T10:00:00Z')],
    ]);
  });

  it("lists each test's executions in run order with the run's facts", () => {
    expect(window.testIds).toEqual([testIdOf(1), testIdOf(2), testIdOf(3), testIdOf(4), testIdOf(5)]);
    expect(
      executionsOf(window, 0).map((e) => [
        e.runId,
        e.status,
        e.retriedPass,
        e.attempts,
        e.commit,
        e.durationMs,
      ]),
    ).toEqual([
      ['r1', 'passed', false, 0, 'c-r1', 1],
      ['r2', 'passed', true, 1, 'c-r2', 1],
    ]);
    expect(executionsOf(window, 1).map((e) => [e.runId, e.status, e.fingerprint])).toEqual([
      ['r1', 'failed', 'fffffffffffffff2'],
      ['r2', 'passed', undefined],
    ]);
  });

  it("numbers tests alike whether a run lists them in the previous run's order or not", () => {
    const same = [outcome(1, 'passed'), outcome(2, 'failed'), outcome(3, 'passed')];
    const shuffled = [outcome(3, 'passed'), outcome(1, 'failed'), outcome(2, 'passed'), outcome(6, 'passed')];
    const headers = ['a', 'b', 'c'].map((r, i) => runHeader(r, `2026-11-0${i + 1}T10:00:00Z`));
    const w = OutcomeWindow.decode(
      headers,
      new Map([
        ['a', packedOutcomes('a', same)],
        ['b', packedOutcomes('b', same)],
        ['c', packedOutcomes('c', shuffled)],
      ]),
    );
    expect(w.testIds).toEqual([testIdOf(1), testIdOf(2), testIdOf(3), testIdOf(6)]);
    expect([...w.offsets]).toEqual([0, 3, 6, 9, 10]);
    expect(executionsOf(w, 1).map((e) => [e.runId, e.status])).toEqual([
      ['a', 'failed'],
      ['b', 'failed'],
      ['c', 'passed'],
    ]);
  });

  it('finds the test of an execution position', () => {
    for (let t = 0; t < window.tests; t++)
      for (let p = window.offsets[t]; p < window.offsets[t + 1]; p++) expect(window.testAt(p)).toBe(t);
    expect([...window.fingerprints.entries()].map(([p, f]) => [window.testIds[window.testAt(p)], f])).toEqual(
      [[testIdOf(2), 'fffffffffffffff2']],
    );
  });
});

describe('StatesWindow and flakinessOf', () => {
  const view = (runId: string, startedAt: string, states: TestState[]): RunStatesView => {
    const packed = packStates(states);
    return {
      ...runHeader(runId, startedAt),
      tests: states.length,
      failing: 0,
      states: packed.states.toString('base64'),
      failures: packed.failures.toString('base64'),
      examples: [],
    };
  };
  const window = StatesWindow.decode([
    view('r1', '2026-11-01T10:00:00Z', [
      { ordinal: 9, status: 'failed', flaky: false, fingerprint: 'abcdef0123456789' },
      { ordinal: 2, status: 'passed', flaky: false },
      { ordinal: 4, status: 'skipped', flaky: false },
    ]),
    view('r2', '2026-11-02T10:00:00Z', [
      { ordinal: 2, status: 'passed', flaky: true },
      { ordinal: 9, status: 'passed', flaky: false },
    ]),
  ]);

  it('groups executions by ordinal in run order, with the failing share of executed tests', () => {
    expect([...window.ordinals]).toEqual([2, 4, 9]);
    expect([...window.offsets]).toEqual([0, 2, 3, 5]);
    expect(window.runs.map((run) => run.failingShare)).toEqual([0.5, 0]);
    expect(
      flakinessExecutionsOf(window, 2).map((e) => [e.runId, e.status, e.retriedPass, e.commit, e.time]),
    ).toEqual([
      ['r1', 'failed', false, 'c-r1', Date.parse('2026-11-01T10:00:00Z')],
      ['r2', 'passed', false, 'c-r2', Date.parse('2026-11-02T10:00:00Z')],
    ]);
    expect(flakinessExecutionsOf(window, 0).map((e) => e.retriedPass)).toEqual([false, true]);
    // Only a history without failures and retry passes is counted without the classifier.
    expect([0, 1, 2].map((t) => countedWithoutFailures(window, t))).toEqual([undefined, 0, undefined]);
    const [[position, fingerprint]] = [...window.fingerprints];
    expect([window.ordinals[window.testAt(position)], fingerprint]).toEqual([9, 'abcdef0123456789']);
  });

  it('counts without the classifier a history whose failures are all in outage runs', () => {
    // With outages from a failing share of 0.5, run r1 (1 of 2 executed failed) is one and is dropped.
    expect([0, 1, 2].map((t) => countedWithoutFailures(window, t, 0.5))).toEqual([undefined, 0, 1]);
  });

  it('agrees with the classifier on every history it counts', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const views = Array.from({ length: 40 }, (_, r) => {
      const outage = random() < 0.15;
      const states: TestState[] = Array.from({ length: 30 }, (_, ordinal) => {
        const fails = outage ? random() < 0.95 : random() < (ordinal % 3 === 0 ? 0.2 : 0.01);
        const skipped = !fails && random() < 0.05;
        return fails
          ? { ordinal, status: 'failed', flaky: false, fingerprint: '0123456789abcdef' }
          : { ordinal, status: skipped ? 'skipped' : 'passed', flaky: !skipped && random() < 0.02 };
      });
      const day = String(1 + Math.floor(r / 2)).padStart(2, '0');
      return view(`r${r}`, `2026-10-${day}T${r % 2 ? '16' : '08'}:00:00Z`, states);
    });
    const big = StatesWindow.decode(views);
    let counted = 0;
    for (let t = 0; t < big.tests; t++) {
      const without = countedWithoutFailures(big, t);
      if (without === undefined) continue;
      counted += 1;
      expect(classifyWithoutFailures(without)).toBe(
        classifyFlakiness(flakinessExecutionsOf(big, t)).classification,
      );
      expect(classifyFlakiness(flakinessExecutionsOf(big, t)).evidence.runs).toBe(without);
      // Listing order uses the score: such a history scores 0.
      expect(classifyFlakiness(flakinessExecutionsOf(big, t)).score).toBe(0);
    }
    // The outage runs failed nearly every test: most histories are counted only thanks to them.
    expect(counted).toBeGreaterThan(5);
  });

  it("judges each test of a window as the classifier judges the test's list", () => {
    // Two branches; main runs some commits twice, a feature branch runs some of main's commits.
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const views = Array.from({ length: 60 }, (_, r) => {
      const states: TestState[] = Array.from({ length: 25 }, (_, ordinal) => {
        // Every fourth test fails now and then, test 1 is broken for the last 10 runs, others pass.
        const fails = ordinal === 1 ? r >= 50 : ordinal % 4 === 0 && random() < 0.3;
        return fails
          ? { ordinal, status: random() < 0.5 ? 'failed' : 'errored', flaky: false }
          : {
              ordinal,
              status: random() < 0.05 ? 'skipped' : 'passed',
              flaky: ordinal % 4 === 0 && random() < 0.1,
            };
      });
      const at = new Date(Date.parse('2026-10-01T00:00:00Z') + r * 5 * 3_600_000).toISOString();
      const header = view(`r${r}`, at, states);
      const feature = r % 3 === 2;
      return {
        ...header,
        branch: feature ? 'feature' : 'main',
        commit: `c${feature ? Math.floor(random() * r) : Math.floor(r / 2)}`,
      };
    });
    const big = StatesWindow.decode(views);
    const verdictOf = flakinessOf(big);
    const classes = new Set<string>();
    for (let t = 0; t < big.tests; t++) {
      const verdict = verdictOf(t);
      classes.add(verdict.classification);
      expect(verdict).toEqual(classifyFlakiness(flakinessExecutionsOf(big, t)));
    }
    expect([...classes].sort()).toEqual(['broken', 'flaky', 'stable']);
  });
});
