import { addSummaries, emptySummary, isFlaky, summarize, worstStatus } from './results';

describe('results', () => {
  it('orders outcomes errored > failed > skipped > passed', () => {
    expect(worstStatus(['passed', 'skipped'])).toBe('skipped');
    expect(worstStatus(['skipped', 'failed', 'passed'])).toBe('failed');
    expect(worstStatus(['failed', 'errored'])).toBe('errored');
    expect(worstStatus([])).toBe('passed');
  });

  it('calls a pass after a failed try flaky, and nothing else', () => {
    expect(isFlaky({ status: 'passed', attempts: [{ status: 'failed', durationMs: 1 }] })).toBe(true);
    expect(isFlaky({ status: 'passed', attempts: [{ status: 'errored', durationMs: 1 }] })).toBe(true);
    expect(isFlaky({ status: 'passed', attempts: [{ status: 'passed', durationMs: 1 }] })).toBe(false);
    expect(isFlaky({ status: 'failed', attempts: [{ status: 'failed', durationMs: 1 }] })).toBe(false);
    expect(isFlaky({ status: 'passed', flaky: true })).toBe(true);
  });

  it('summarises counts, flaky and total duration', () => {
    const summary = summarize([
      { suite: 's', name: 'a', status: 'passed', durationMs: 10.4 },
      { suite: 's', name: 'b', status: 'failed', durationMs: 5 },
      { suite: 's', name: 'c', status: 'errored', durationMs: 0 },
      { suite: 's', name: 'd', status: 'skipped', durationMs: 0 },
      {
        suite: 's',
        name: 'e',
        status: 'passed',
        durationMs: 20,
        attempts: [{ status: 'failed', durationMs: 19 }],
      },
    ]);
    expect(summary).toEqual({
      tests: 5,
      passed: 2,
      failed: 1,
      errored: 1,
      skipped: 1,
      flaky: 1,
      durationMs: 35,
    });
  });
});

describe('addSummaries', () => {
  it('adds every field and leaves its arguments alone', () => {
    const a = { tests: 3, passed: 2, failed: 1, errored: 0, skipped: 0, flaky: 1, durationMs: 30 };
    const b = { tests: 2, passed: 0, failed: 0, errored: 1, skipped: 1, flaky: 0, durationMs: 5 };
    expect(addSummaries(a, b)).toEqual({
      tests: 5,
      passed: 2,
      failed: 1,
      errored: 1,
      skipped: 1,
      flaky: 1,
      durationMs: 35,
    });
    expect(a.tests).toBe(3);
    expect(addSummaries()).toEqual(emptySummary());
  });
});
