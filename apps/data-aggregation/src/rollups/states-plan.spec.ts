import { decodeStates, emptySummary } from '@testpulse/domain';
import { planRunStates } from './states-plan';

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
    { testId: 'b', status: 'failed' as const, flaky: false, fingerprint: '0123456789abcdef' },
    { testId: 'a', status: 'passed' as const, flaky: true, fingerprint: 'ffffffffffffffff' },
    { testId: 'c', status: 'errored' as const, flaky: false },
    { testId: 'x', status: 'failed' as const, flaky: false },
  ];

  it("packs each numbered execution by its test's ordinal, with the run's header", () => {
    const { doc, unnumbered } = planRunStates(
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
    expect(unnumbered).toBe(1);
    expect(doc).toEqual(
      expect.objectContaining({ _id: 'shop|r1', branch: 'main', commit: 'abc', runTests: 4, runFailing: 3 }),
    );
    const decoded = decodeStates(doc.states, doc.failures);
    expect([...decoded.ordinal]).toEqual([2, 7, 40]);
    expect([...decoded.status]).toEqual([1, 0, 2]);
    expect([...decoded.flaky]).toEqual([0, 1, 0]);
    // A passing execution keeps no fingerprint.
    expect([...decoded.fingerprints]).toEqual([[0, '0123456789abcdef']]);
  });
});
