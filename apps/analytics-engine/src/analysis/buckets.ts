import { DayBucketView } from '@testpulse/contracts';

/** Counters of several buckets added up (histograms too). */
export function mergeBuckets(
  buckets: readonly DayBucketView[],
): Omit<DayBucketView, 'day' | 'scope' | 'key'> {
  const total = {
    runs: 0,
    tests: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    flaky: 0,
    durationCount: 0,
    durationSum: 0,
    durationMin: undefined as number | undefined,
    durationMax: undefined as number | undefined,
    hist: {} as Record<string, number>,
  };
  for (const b of buckets) {
    total.runs += b.runs;
    total.tests += b.tests;
    total.passed += b.passed;
    total.failed += b.failed;
    total.errored += b.errored;
    total.skipped += b.skipped;
    total.flaky += b.flaky;
    total.durationCount += b.durationCount;
    total.durationSum += b.durationSum;
    if (b.durationMin !== undefined)
      total.durationMin = Math.min(total.durationMin ?? Infinity, b.durationMin);
    if (b.durationMax !== undefined)
      total.durationMax = Math.max(total.durationMax ?? -Infinity, b.durationMax);
    for (const [bucket, n] of Object.entries(b.hist)) total.hist[bucket] = (total.hist[bucket] ?? 0) + n;
  }
  const { durationMin, durationMax, ...rest } = total;
  return {
    ...rest,
    ...(durationMin !== undefined ? { durationMin } : {}),
    ...(durationMax !== undefined ? { durationMax } : {}),
  };
}

/** Buckets grouped by day, each day's buckets merged (suites of a project add up to the project). */
export function bucketsByDay(
  buckets: readonly DayBucketView[],
): Map<string, ReturnType<typeof mergeBuckets>> {
  const groups = new Map<string, DayBucketView[]>();
  for (const bucket of buckets) {
    const list = groups.get(bucket.day) ?? [];
    list.push(bucket);
    groups.set(bucket.day, list);
  }
  return new Map(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([day, list]) => [day, mergeBuckets(list)]),
  );
}

/** Executions that ran (not skipped). */
export const executed = (b: { passed: number; failed: number; errored: number }): number =>
  b.passed + b.failed + b.errored;
