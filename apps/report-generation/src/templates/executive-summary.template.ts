import { Injectable } from '@nestjs/common';
import { DayBucketView, RunHeader, TrendsView } from '@testpulse/contracts';
import { RunSummary, addSummaries, emptySummary } from '@testpulse/domain';
import { ResolvedFilter, analyticsWindowNote } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { BuiltReport, ReportBuilder } from './report-builder';
import { PROJECT_CONCURRENCY, clip, mapLimit, ratio, section } from './sections';

/** Largest failure clusters listed per project. */
const TOP_CLUSTERS = 10;

/** The counts of some runs added up, and how many runs. */
export interface RunTotals extends RunSummary {
  runs: number;
}

export function runTotals(runs: readonly RunHeader[]): RunTotals {
  return { runs: runs.length, ...addSummaries(...runs.map((run) => run.summary)) };
}

/** The same totals from daily project buckets (their durations are those of executed tests). */
export function bucketTotals(days: readonly DayBucketView[]): RunTotals {
  const totals: RunTotals = { runs: 0, ...emptySummary() };
  for (const day of days) {
    totals.runs += day.runs;
    totals.tests += day.tests;
    totals.passed += day.passed;
    totals.failed += day.failed;
    totals.errored += day.errored;
    totals.skipped += day.skipped;
    totals.flaky += day.flaky;
    totals.durationMs += day.durationSum;
  }
  totals.durationMs = Math.round(totals.durationMs);
  return totals;
}

/** Pass rate of executed tests (skipped ones are not executed). */
export const passRate = (t: Pick<RunTotals, 'passed' | 'failed' | 'errored'>): number | null =>
  ratio(t.passed, t.passed + t.failed + t.errored);

@Injectable()
export class ExecutiveSummaryTemplate implements ReportBuilder {
  readonly id = 'executive-summary' as const;

  constructor(private readonly sources: SourcesClient) {}

  async build(resolved: ResolvedFilter): Promise<BuiltReport> {
    const { filter, window, analyticsDays } = resolved;
    if (!window) throw new Error('executive-summary needs a window');
    const perProject = await mapLimit(resolved.projects, PROJECT_CONCURRENCY, async (project) => {
      const trendsRead = this.sources.trends(project, analyticsDays);
      const [totals, quality, flakiness, trends, patterns] = await Promise.all([
        this.totals(project, resolved, trendsRead),
        this.sources.qualityScore(project, analyticsDays),
        this.sources.flakiness(project, analyticsDays, filter.branch, 0),
        trendsRead,
        this.sources.patterns(project, analyticsDays, TOP_CLUSTERS, TOP_CLUSTERS),
      ]);
      return { project, totals, quality, flakiness, trends, patterns };
    });

    const overall: RunTotals = {
      runs: perProject.reduce((n, p) => n + p.totals.runs, 0),
      ...addSummaries(...perProject.map((p) => p.totals)),
    };
    const rows = perProject.map(({ project, totals, quality, flakiness, trends, patterns }) => {
      return {
        project,
        ...totals,
        passRate: passRate(totals),
        qualityScore: quality.score,
        flakyTests: flakiness.counts.flaky,
        brokenTests: flakiness.counts.broken,
        passRateTrend: trends.slope.direction,
        passRateChangePerDay: trends.slope.perDay,
        anomalousDays: trends.anomalies.length,
        failureClusters: patterns.clusterCount,
        newFailureClusters: patterns.newClusterCount,
      };
    });

    const sections = [
      section({
        key: 'overview',
        title: 'Overview',
        figures: { projects: rows.length, ...overall, passRate: passRate(overall) },
        rows,
      }),
      ...perProject.flatMap(({ project, quality, patterns }) => [
        section({
          key: `quality:${project}`,
          title: `Quality score of ${project}`,
          project,
          figures: { score: quality.score, from: quality.from, to: quality.to },
          rows: quality.components.map((component) => ({ ...component })),
        }),
        section({
          key: `clusters:${project}`,
          title: `Largest failure clusters of ${project}`,
          project,
          figures: { failures: patterns.failures, clusters: patterns.clusterCount },
          limit: TOP_CLUSTERS,
          total: patterns.clusterCount,
          rows: patterns.clusters.map((cluster) => ({
            fingerprint: cluster.fingerprint,
            count: cluster.count,
            testCount: cluster.testCount,
            tests: cluster.tests.slice(0, 5).map((test) => `${test.suite} › ${test.name}`),
            branches: cluster.branches,
            isNew: cluster.isNew,
            firstSeen: cluster.firstSeen,
            lastSeen: cluster.lastSeen,
            ...(cluster.example
              ? { type: cluster.example.type, message: clip(cluster.example.message, 500) }
              : {}),
          })),
        }),
      ]),
    ];

    const notes = [
      `run counts cover ${window.from}..${window.to}` +
        (filter.branch ? `, branch ${filter.branch}` : '') +
        (filter.environment ? `, environment ${filter.environment}` : ''),
      `quality score, pass-rate trend and failure clusters cover every branch and environment; ` +
        `flaky and broken tests cover ${filter.branch ? `branch ${filter.branch}` : 'every branch'}`,
    ];
    if (!filter.branch && !filter.environment)
      notes.push('run totals come from the daily rollups: their durations are those of executed tests');
    const widened = analyticsWindowNote(resolved);
    if (widened) notes.push(widened);
    return { sections, notes };
  }

  /**
   * The window's finished runs added up: from the daily project buckets, which the trends have added
   * up already when the window ends today (it is then the analytics window), unless a branch or
   * environment narrows them, which only the runs themselves tell.
   */
  private async totals(
    project: string,
    { filter, window, today }: ResolvedFilter,
    trends: Promise<TrendsView>,
  ): Promise<RunTotals> {
    if (!window) throw new Error('executive-summary needs a window');
    if (!filter.branch && !filter.environment) {
      if (window.to === today) return (await trends).totals;
      return bucketTotals(await this.sources.projectDays(project, window.from, window.to));
    }
    const runs = await this.sources.runs(project, window.from, window.to, filter.branch);
    return runTotals(
      filter.environment ? runs.filter((run) => run.environment === filter.environment) : runs,
    );
  }
}
