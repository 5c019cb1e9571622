import { Injectable } from '@nestjs/common';
import { linearTrend, pChart, percentileFromHistogram, wilsonInterval } from '@testpulse/analytics';
import {
  ANALYTICS_LIMITS,
  DayBucketView,
  SlopeView,
  SuiteWindowQueryDto,
  TrendDayView,
  TrendsView,
} from '@testpulse/contracts';
import { HistoryClient, windowOf } from '../history/history.client';
import { bucketsByDay, executed, mergeBuckets } from './buckets';

const DAY_MS = 24 * 3600 * 1000;

/** The project's (or one suite's) daily buckets of a window. */
export async function windowBuckets(
  history: HistoryClient,
  query: SuiteWindowQueryDto,
): Promise<{ from: string; to: string; buckets: DayBucketView[] }> {
  const { from, to } = windowOf(query.days ?? ANALYTICS_LIMITS.defaultDays);
  const window = { project: query.project, from, to };
  const buckets = query.suite
    ? (await history.days(window, 'suite')).filter((bucket) => bucket.key === query.suite)
    : await history.days(window, 'project');
  return { from, to, buckets };
}

/** The pass-rate slope with its interval, read as a direction only when the interval excludes 0. */
export function slopeOf(points: Array<{ x: number; y: number }>): SlopeView {
  const trend = linearTrend(points);
  const finite = (n: number) => (Number.isFinite(n) ? n : n > 0 ? 1 : -1);
  return {
    perDay: Number.isFinite(trend.slope) ? trend.slope : 0,
    low: finite(trend.slopeLow),
    high: finite(trend.slopeHigh),
    r2: Number.isFinite(trend.r2) ? trend.r2 : 0,
    direction: trend.slopeLow > 0 ? 'improving' : trend.slopeHigh < 0 ? 'worsening' : 'flat',
  };
}

@Injectable()
export class TrendsService {
  constructor(private readonly history: HistoryClient) {}

  async trends(query: SuiteWindowQueryDto): Promise<TrendsView> {
    const { from, to, buckets } = await windowBuckets(this.history, query);
    const days = [...bucketsByDay(buckets)];
    const chart = pChart(
      days.map(([day, b]) => ({ key: day, failures: b.failed + b.errored, total: executed(b) })),
    );
    const limits = new Map(chart.map((point) => [point.key, point]));
    const views: TrendDayView[] = days.map(([day, b]) => {
      const point = limits.get(day);
      const p50 = percentileFromHistogram(b.hist, 0.5);
      const p95 = percentileFromHistogram(b.hist, 0.95);
      return {
        day,
        runs: b.runs,
        executed: executed(b),
        passed: b.passed,
        failed: b.failed + b.errored,
        passRate: wilsonInterval(b.passed, executed(b)),
        failureRate: executed(b) > 0 ? (b.failed + b.errored) / executed(b) : 0,
        upperLimit: point?.upper ?? 1,
        anomalous: point?.anomalous ?? false,
        ...(p50 !== undefined ? { p50Ms: p50 } : {}),
        ...(p95 !== undefined ? { p95Ms: p95 } : {}),
      };
    });
    const start = Date.parse(`${from}T00:00:00Z`);
    const slope = slopeOf(
      views
        .filter((v) => v.executed > 0)
        .map((v) => ({ x: (Date.parse(`${v.day}T00:00:00Z`) - start) / DAY_MS, y: v.passRate.rate })),
    );
    const total = mergeBuckets(buckets);
    return {
      project: query.project,
      ...(query.suite ? { suite: query.suite } : {}),
      from,
      to,
      totals: {
        runs: total.runs,
        tests: total.tests,
        passed: total.passed,
        failed: total.failed,
        errored: total.errored,
        skipped: total.skipped,
        flaky: total.flaky,
        durationMs: Math.round(total.durationSum),
      },
      days: views,
      slope,
      anomalies: chart
        .filter((point) => point.anomalous)
        .map((point) => ({
          day: point.key,
          failureRate: point.rate,
          upperLimit: point.upper,
          centre: point.centre,
        })),
    };
  }
}
