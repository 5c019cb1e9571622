import { decodeStates, emptySummary } from '@testpulse/domain';
import { planRunStates, unpackExamples } from './states-plan';

describe('planRunStates', () => {
  const run = {
    project: 'shop',
    runId: 'r1',
    day: '2026-11-27',
    startedAt: new Date('2026-11-27T10:00:00Z'),
    branch: 'main',
    commit: 'abc',
  };
  const results = [
    {
      id: 'shop|r1|b0|0',
      testId: 'b',
      status: 'failed' as const,
      flaky: false,
      fingerprint: '0123456789abcdef',
    },
    {
      id: 'shop|r1|b0|1',
      testId: 'a',
      status: 'passed' as const,
      flaky: true,
      fingerprint: 'ffffffffffffffff',
    },
    {
      id: 'shop|r1|b0|2',
      testId: 'd',
      status: 'failed' as const,
      flaky: false,
      fingerprint: '0123456789abcdef',
    },
    { testId: 'c', status: 'errored' as const, flaky: false },
    { testId: 'x', status: 'failed' as const, flaky: false },
  ];

  it("packs each numbered execution by its test's ordinal, with the run's header", () => {
    const { entry, unnumbered } = planRunStates(
      run,
      'finished',
      emptySummary(),
      results,
      new Map([
        ['a', 7],
        ['b', 2],
        ['c', 40],
      ]),
    );
    expect(unnumbered).toBe(2);
    expect(entry).toEqual(
      expect.objectContaining({ runId: 'r1', branch: 'main', commit: 'abc', runTests: 5, runFailing: 4 }),
    );
    // One example result per failure fingerprint (a passing execution's fingerprint is not one).
    expect(unpackExamples(run, entry.examples)).toEqual([['0123456789abcdef', 'shop|r1|b0|0']]);
    expect(unpackExamples(run, '')).toEqual([]);
    const decoded = decodeStates(entry.states, entry.failures);
    expect([...decoded.ordinal]).toEqual([2, 7, 40]);
    expect([...decoded.status]).toEqual([1, 0, 2]);
    expect([...decoded.flaky]).toEqual([0, 1, 0]);
    // A passing execution keeps no fingerprint.
    expect([...decoded.fingerprints]).toEqual([[0, '0123456789abcdef']]);
  });
});
