import { ResultStatus, TestOutcome } from '@testpulse/domain';
import { compareRuns, testStates } from './run-diff';

const id = (n: number) => n.toString(16).padStart(24, '0');
const outcome = (n: number, status: ResultStatus, extra: Partial<TestOutcome> = {}): TestOutcome => ({
  testId: id(n),
  status,
  flaky: false,
  attempts: 0,
  durationMs: 10,
  ...extra,
});
const ids = (entries: Array<{ testId: string }>) => entries.map((entry) => entry.testId);

describe('compareRuns', () => {
  it('sorts every test into exactly one list', () => {
    const a = [
      outcome(1, 'passed'), // → failed: new failure
      outcome(2, 'failed', { fingerprint: 'aaaaaaaaaaaaaaaa' }), // → passed: fixed
      outcome(3, 'errored', { fingerprint: 'bbbbbbbbbbbbbbbb' }), // → failed: still failing
      outcome(4, 'passed'), // only in A: removed
      outcome(5, 'passed'), // → passed: unchanged
      outcome(6, 'failed'), // → skipped: another change
      outcome(7, 'skipped'), // → errored: new failure
    ];
    const b = [
      outcome(1, 'failed'),
      outcome(2, 'passed'),
      outcome(3, 'failed', { fingerprint: 'bbbbbbbbbbbbbbbb' }),
      outcome(5, 'passed'),
      outcome(6, 'skipped'),
      outcome(7, 'errored'),
      outcome(8, 'failed'), // only in B: new test (failing)
      outcome(9, 'passed'), // only in B: new test
    ];
    const diff = compareRuns(a, b);
    expect(ids(diff.newFailures)).toEqual([id(1), id(7)]);
    expect(ids(diff.fixed)).toEqual([id(2)]);
    expect(ids(diff.stillFailing)).toEqual([id(3)]);
    expect(diff.stillFailing[0].a?.fingerprint).toBe(diff.stillFailing[0].b?.fingerprint);
    expect(ids(diff.newTests)).toEqual([id(8), id(9)]);
    expect(ids(diff.removedTests)).toEqual([id(4)]);
    expect(ids(diff.otherChanges)).toEqual([id(6)]);
    expect(diff.unchanged).toBe(1);
    expect(diff).toEqual(expect.objectContaining({ testsA: 7, testsB: 8 }));
  });

  it('counts a test run several times by its worst status', () => {
    const states = testStates([
      outcome(1, 'passed', { durationMs: 5 }),
      outcome(1, 'failed', { durationMs: 7, fingerprint: 'cccccccccccccccc' }),
      outcome(2, 'passed', { flaky: true }),
    ]);
    expect(states.get(id(1))).toEqual({
      status: 'failed',
      flaky: false,
      durationMs: 12,
      executions: 2,
      fingerprint: 'cccccccccccccccc',
    });
    expect(states.get(id(2))).toEqual(
      expect.objectContaining({ status: 'passed', flaky: true, executions: 1 }),
    );
    expect(
      ids(compareRuns([outcome(1, 'passed')], [outcome(1, 'passed'), outcome(1, 'errored')]).newFailures),
    ).toEqual([id(1)]);
  });

  it('compares empty runs', () => {
    expect(compareRuns([], [])).toEqual(
      expect.objectContaining({ testsA: 0, testsB: 0, newFailures: [], newTests: [], unchanged: 0 }),
    );
  });
});
