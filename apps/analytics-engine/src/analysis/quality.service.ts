import { Injectable } from '@nestjs/common';
import { linearTrend, qualityScore } from '@testpulse/analytics';
import { QualityComponentView, QualityScoreView, SuiteWindowQueryDto } from '@testpulse/contracts';
import { HistoryClient } from '../history/history.client';
import { bucketsByDay, executed, mergeBuckets } from './buckets';
import { windowBuckets } from './trends.service';

/** Days behind each point of the score's history. */
const HISTORY_WINDOW_DAYS = 7;

type DayCounts = ReturnType<typeof mergeBuckets>;

/** The measurements the score weighs, over some days of buckets. */
function measure(days: ReadonlyArray<[string, DayCounts]>) {
  const total = mergeBuckets(days.map(([day, b]) => ({ ...b, day, scope: 'project' as const, key: '' })));
  const ran = executed(total);
  const points = days
    .map(([, b], x) => ({ x, y: executed(b) > 0 ? (b.failed + b.errored) / executed(b) : NaN }))
    .filter((p) => Number.isFinite(p.y));
  const means = days
    .map(([, b]) => (b.durationCount > 0 ? b.durationSum / b.durationCount : NaN))
    .filter(Number.isFinite);
  const average = means.reduce((a, b) => a + b, 0) / (means.length || 1);
  const spread = Math.sqrt(means.reduce((a, m) => a + (m - average) ** 2, 0) / (means.length || 1));
  return {
    passRate: ran > 0 ? total.passed / ran : 0,
    flakyShare: ran > 0 ? total.flaky / ran : 0,
    failureTrendSlope: points.length >= 2 ? linearTrend(points).slope : 0,
    durationCv: average > 0 ? spread / average : 0,
  };
}

@Injectable()
export class QualityService {
  constructor(private readonly history: HistoryClient) {}

  async score(query: SuiteWindowQueryDto): Promise<QualityScoreView> {
    const { from, to, buckets } = await windowBuckets(this.history, query);
    const days = [...bucketsByDay(buckets)];
    const now = qualityScore(measure(days));
    const history = days.map(([day], index) => ({
      day,
      score: qualityScore(measure(days.slice(Math.max(0, index - HISTORY_WINDOW_DAYS + 1), index + 1))).score,
    }));
    return {
      project: query.project,
      ...(query.suite ? { suite: query.suite } : {}),
      from,
      to,
      score: now.score,
      components: now.components as QualityComponentView[],
      history,
    };
  }
}
