import { DayBucketView, RollupScope } from '@testpulse/contracts';
import { TestOutcome } from '@testpulse/domain';
import { HistoryClient, Window } from '../history/history.client';
import { OutcomeWindow } from '../history/outcome-window';
import { packedOutcomes, runHeader, testIdOf } from '../history/window-fixtures.test';
import { MetricsService } from './metrics.service';

const passed = (n: number, durationMs: number): TestOutcome => ({
  testId: testIdOf(n),
  status: 'passed',
  flaky: false,
  attempts: 0,
  durationMs,
});
const bucket = (scope: RollupScope, key: string, durations: number[]): DayBucketView => ({
  day: '2026-11-27',
  scope,
  key,
  runs: 2,
  tests: durations.length,
  passed: durations.length,
  failed: 0,
  errored: 0,
  skipped: 0,
  flaky: 0,
  durationCount: durations.length,
  durationSum: durations.reduce((a, b) => a + b, 0),
  durationMax: Math.max(...durations),
  // log2 bins as the rollups keep them (durationBucket): 100 → h7, 300 → h9, 1000 → h10.
  hist: Object.fromEntries(
    Object.entries(
      durations.reduce<Record<string, number>>((hist, d) => {
        const bin = `h${Math.floor(Math.log2(d))}`;
        hist[bin] = (hist[bin] ?? 0) + 1;
        return hist;
      }, {}),
    ),
  ),
});

/** Two runs of three tests in two suites; each rollup read is recorded with its scope. */
function historyDouble() {
  const scopes: RollupScope[] = [];
  const outcomes = OutcomeWindow.of([
    OutcomeWindow.decodeRun(
      runHeader('r1', '2026-11-27T08:00:00Z'),
      packedOutcomes('r1', [passed(0, 100), passed(1, 300), passed(2, 1000)]),
    ),
    OutcomeWindow.decodeRun(
      runHeader('r2', '2026-11-27T09:00:00Z'),
      packedOutcomes('r2', [passed(0, 100), passed(1, 300), passed(2, 1000)]),
    ),
  ]);
  const history = {
    days: async (_window: Window, scope: RollupScope) => {
      scopes.push(scope);
      return scope === 'project'
        ? [bucket('project', '', [100, 300, 1000, 100, 300, 1000])]
        : [bucket('suite', 'fast', [100, 300, 100, 300]), bucket('suite', 'slow', [1000, 1000])];
    },
    outcomeWindow: async () => outcomes,
    catalogueByTestId: async () =>
      new Map(
        [0, 1, 2].map((n) => [
          testIdOf(n),
          { ordinal: n, testId: testIdOf(n), suite: n < 2 ? 'fast' : 'slow', name: `t${n}`, firstSeen: '' },
        ]),
      ),
  } as unknown as HistoryClient;
  return { history, scopes };
}

describe('MetricsService', () => {
  beforeAll(() => jest.useFakeTimers({ now: new Date('2026-11-28T12:00:00Z'), doNotFake: ['setImmediate'] }));
  afterAll(() => jest.useRealTimers());

  it('without per-suite statistics reads the project rollups and gives the same overall and tests', async () => {
    const full = historyDouble();
    const bySuite = await new MetricsService(full.history).metrics({ project: 'p', days: 7 });
    const lean = historyDouble();
    const testsOnly = await new MetricsService(lean.history).metrics({
      project: 'p',
      days: 7,
      perSuite: false,
    });

    expect(full.scopes).toEqual(['suite']);
    expect(lean.scopes).toEqual(['project']);
    expect(bySuite.suites.map((s) => [s.suite, s.executions])).toEqual([
      ['slow', 2],
      ['fast', 4],
    ]);
    expect(testsOnly.suites).toEqual([]);
    expect(testsOnly.overall).toEqual(bySuite.overall);
    expect(testsOnly.overall.executions).toBe(6);
    expect(testsOnly.slowest).toEqual(bySuite.slowest);
    expect(testsOnly.slowest.map((t) => t.name)).toEqual(['t2', 't1', 't0']);
  });

  it('reads the suites when one suite is asked for, whatever perSuite says', async () => {
    const { history, scopes } = historyDouble();
    const view = await new MetricsService(history).metrics({
      project: 'p',
      days: 7,
      suite: 'slow',
      perSuite: false,
    });
    expect(scopes).toEqual(['suite']);
    expect(view.suites.map((s) => s.suite)).toEqual(['slow']);
    expect(view.slowest.map((t) => t.name)).toEqual(['t2']);
  });
});
