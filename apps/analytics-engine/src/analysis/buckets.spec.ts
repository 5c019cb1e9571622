import { DayBucketView } from '@testpulse/contracts';
import { bucketsByDay, executed, mergeBuckets } from './buckets';

const bucket = (day: string, key: string, fields: Partial<DayBucketView>): DayBucketView => ({
  day,
  scope: 'suite',
  key,
  runs: 1,
  tests: 0,
  passed: 0,
  failed: 0,
  errored: 0,
  skipped: 0,
  flaky: 0,
  durationCount: 0,
  durationSum: 0,
  hist: {},
  ...fields,
});

describe('daily buckets', () => {
  const a = bucket('2026-11-02', 'cart', {
    tests: 4,
    passed: 2,
    failed: 1,
    skipped: 1,
    durationCount: 3,
    durationSum: 30,
    durationMin: 5,
    durationMax: 20,
    hist: { h3: 2, h5: 1 },
  });
  const b = bucket('2026-11-02', 'pay', {
    tests: 2,
    passed: 1,
    errored: 1,
    flaky: 1,
    durationCount: 2,
    durationSum: 100,
    durationMin: 40,
    durationMax: 60,
    hist: { h6: 2 },
  });
  const c = bucket('2026-11-01', 'cart', {
    tests: 1,
    passed: 1,
    durationCount: 1,
    durationSum: 2,
    hist: { h2: 1 },
  });

  it('adds counters, histograms and extremes', () => {
    expect(mergeBuckets([a, b])).toEqual({
      runs: 2,
      tests: 6,
      passed: 3,
      failed: 1,
      errored: 1,
      skipped: 1,
      flaky: 1,
      durationCount: 5,
      durationSum: 130,
      durationMin: 5,
      durationMax: 60,
      hist: { h3: 2, h5: 1, h6: 2 },
    });
    expect(executed(mergeBuckets([a, b]))).toBe(5);
    expect(mergeBuckets([c])).not.toHaveProperty('durationMin');
  });

  it('groups by day, oldest first', () => {
    const days = [...bucketsByDay([a, b, c])];
    expect(days.map(([day, counts]) => [day, counts.tests])).toEqual([
      ['2026-11-01', 1],
      ['2026-11-02', 6],
    ]);
  });
});
