import { DayBucketView, RunHeader } from '@testpulse/contracts';
import { bucketTotals, runTotals } from './executive-summary.template';

const bucket = (day: string, counts: Partial<DayBucketView>): DayBucketView => ({
  day,
  scope: 'project',
  key: '',
  runs: 0,
  tests: 0,
  passed: 0,
  failed: 0,
  errored: 0,
  skipped: 0,
  flaky: 0,
  durationCount: 0,
  durationSum: 0,
  hist: {},
  ...counts,
});

describe('executive summary totals', () => {
  it('adds up daily buckets as the runs they counted would add up', () => {
    const runs: RunHeader[] = [
      { tests: 4, passed: 2, failed: 1, errored: 0, skipped: 1, flaky: 1, durationMs: 30 },
      { tests: 3, passed: 1, failed: 1, errored: 1, skipped: 0, flaky: 0, durationMs: 12.4 },
    ].map((summary, i) => ({
      runId: `r${i}`,
      day: `2026-11-2${i}`,
      startedAt: `2026-11-2${i}T10:00:00Z`,
      status: 'finished',
      summary,
    }));
    const days = [
      bucket('2026-11-20', {
        runs: 1,
        tests: 4,
        passed: 2,
        failed: 1,
        skipped: 1,
        flaky: 1,
        durationSum: 30,
      }),
      bucket('2026-11-21', { runs: 1, tests: 3, passed: 1, failed: 1, errored: 1, durationSum: 12.4 }),
    ];
    expect(bucketTotals(days)).toEqual({ ...runTotals(runs), durationMs: 42 });
    expect(bucketTotals([])).toEqual(expect.objectContaining({ runs: 0, tests: 0, durationMs: 0 }));
  });
});
