import { executionsByTest } from './executions';

const id = (n: number) => n.toString(16).padStart(24, '0');
const run = (runId: string, startedAt: string, outcomes: Array<[number, 'passed' | 'failed', boolean]>) => ({
  runId,
  day: startedAt.slice(0, 10),
  startedAt,
  status: 'finished' as const,
  branch: 'main',
  commit: `c-${runId}`,
  summary: { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, durationMs: 0 },
  failingShare: 0.25,
  outcomes: outcomes.map(([n, status, flaky]) => ({
    testId: id(n),
    status,
    flaky,
    attempts: flaky ? 1 : 0,
    durationMs: n,
  })),
});

describe('executionsByTest', () => {
  it("lists each test's executions in run order with the run's facts", () => {
    const byTest = executionsByTest([
      run('r1', '2026-11-01T10:00:00Z', [
        [1, 'passed', false],
        [2, 'failed', false],
      ]),
      run('r2', '2026-11-02T10:00:00Z', [[1, 'passed', true]]),
    ]);
    expect([...byTest.keys()]).toEqual([id(1), id(2)]);
    expect(
      byTest.get(id(1))?.map((e) => [e.runId, e.status, e.retriedPass, e.commit, e.runFailingShare]),
    ).toEqual([
      ['r1', 'passed', false, 'c-r1', 0.25],
      ['r2', 'passed', true, 'c-r2', 0.25],
    ]);
  });
});
