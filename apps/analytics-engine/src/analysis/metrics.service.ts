import { Injectable } from '@nestjs/common';
import { durationRegression, percentileFromHistogram } from '@testpulse/analytics';
import {
  ANALYTICS_LIMITS,
  DayBucketView,
  DurationRegressionView,
  DurationStatsView,
  MetricsView,
  MetricsRequestDto,
} from '@testpulse/contracts';
import { HISTOGRAM_BUCKETS, RESULT_STATUSES, durationBucket } from '@testpulse/domain';
import { HistoryClient, windowOf } from '../history/history.client';
import { mergeBuckets } from './buckets';

const SLOWEST = 50;

function statsOf(bucket: ReturnType<typeof mergeBuckets>): DurationStatsView {
  const p50 = percentileFromHistogram(bucket.hist, 0.5);
  const p95 = percentileFromHistogram(bucket.hist, 0.95);
  return {
    executions: bucket.durationCount,
    ...(p50 !== undefined ? { p50Ms: p50 } : {}),
    ...(p95 !== undefined ? { p95Ms: p95 } : {}),
    ...(bucket.durationCount > 0 ? { meanMs: bucket.durationSum / bucket.durationCount } : {}),
    ...(bucket.durationMax !== undefined ? { maxMs: bucket.durationMax } : {}),
  };
}

/** Durations of executed tests as a log2 histogram, like the rollups keep. */
function histogramOf(durations: readonly number[]): Record<string, number> {
  const counts = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  for (const d of durations) counts[durationBucket(d)] += 1;
  const hist: Record<string, number> = {};
  counts.forEach((count, bucket) => {
    if (count > 0) hist[`h${bucket}`] = count;
  });
  return hist;
}

const SKIPPED = RESULT_STATUSES.indexOf('skipped');

@Injectable()
export class MetricsService {
  constructor(private readonly history: HistoryClient) {}

  /** Duration percentiles per suite and test, the slowest tests and duration regressions. */
  async metrics(query: MetricsRequestDto): Promise<MetricsView> {
    const { from, to } = windowOf(query.days ?? ANALYTICS_LIMITS.defaultDays);
    const window = { project: query.project, from, to };
    // Without per-suite statistics, the project's rollups (one document a day) give the overall.
    const projectOnly = query.perSuite === false && !query.suite;
    const [suiteBuckets, history] = await Promise.all([
      this.history.days(window, projectOnly ? 'project' : 'suite'),
      this.history.outcomeWindow(window),
    ]);
    const catalogue = await this.history.catalogueByTestId(query.project, history.testIds);
    const inScope = (suite: string) => !query.suite || suite === query.suite;
    const bySuite = new Map<string, DayBucketView[]>();
    for (const bucket of suiteBuckets.filter((b) => inScope(b.key))) {
      bySuite.set(bucket.key, [...(bySuite.get(bucket.key) ?? []), bucket]);
    }
    const suites = projectOnly
      ? []
      : [...bySuite]
          .map(([suite, list]) => ({ suite, ...statsOf(mergeBuckets(list)) }))
          .sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0));

    const slowest: MetricsView['slowest'] = [];
    const regressions: DurationRegressionView[] = [];
    for (let t = 0; t < history.tests; t++) {
      const testId = history.testIds[t];
      const test = catalogue.get(testId);
      if (!test || !inScope(test.suite)) continue;
      // Straight from the window's columns: an object per execution cost more than the rest.
      const durations: number[] = [];
      let last = -1;
      for (let p = history.offsets[t]; p < history.offsets[t + 1]; p++) {
        if (history.status[p] === SKIPPED) continue;
        durations.push(history.durationMs[p]);
        last = p;
      }
      if (durations.length === 0) continue;
      const hist = histogramOf(durations);
      const p50 = percentileFromHistogram(hist, 0.5);
      const p95 = percentileFromHistogram(hist, 0.95);
      slowest.push({
        testId,
        suite: test.suite,
        name: test.name,
        executions: durations.length,
        ...(p50 !== undefined ? { p50Ms: p50 } : {}),
        ...(p95 !== undefined ? { p95Ms: p95 } : {}),
        meanMs: durations.reduce((a, b) => a + b, 0) / durations.length,
        maxMs: durations.reduce((max, d) => (d > max ? d : max), 0),
      });
      if (durations.length >= 2) {
        const run = history.runs[history.run[last]];
        const latest = { runId: run.runId, at: run.startedAt, durationMs: history.durationMs[last] };
        const verdict = durationRegression(durations.slice(0, -1), latest.durationMs);
        if (verdict.regressed)
          regressions.push({
            testId,
            suite: test.suite,
            name: test.name,
            runId: latest.runId,
            at: latest.at,
            latestMs: latest.durationMs,
            meanMs: verdict.mean,
            previousMaxMs: verdict.previousMax,
            factor: verdict.factor,
          });
      }
    }
    slowest.sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0));
    regressions.sort((a, b) => b.factor - a.factor);
    return {
      project: query.project,
      ...(query.suite ? { suite: query.suite } : {}),
      from,
      to,
      overall: statsOf(mergeBuckets([...bySuite.values()].flat())),
      suites,
      slowest: slowest.slice(0, SLOWEST),
      regressions,
    };
  }
}
