import { Injectable } from '@nestjs/common';
import { RunHeader } from '@testpulse/contracts';
import { ResolvedFilter, analyticsWindowNote } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { BuiltReport, ReportBuilder } from './report-builder';
import { PROJECT_CONCURRENCY, clip, mapLimit, ratio, section } from './sections';

/** Largest failure clusters listed per project. */
const TOP_CLUSTERS = 10;

export interface RunTotals {
  runs: number;
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  durationMs: number;
}

/** The counts of some runs added up. */
export function runTotals(runs: readonly RunHeader[]): RunTotals {
  const totals: RunTotals = {
    runs: runs.length,
    tests: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    flaky: 0,
    durationMs: 0,
  };
  for (const { summary } of runs) {
    totals.tests += summary.tests;
    totals.passed += summary.passed;
    totals.failed += summary.failed;
    totals.errored += summary.errored;
    totals.skipped += summary.skipped;
    totals.flaky += summary.flaky;
    totals.durationMs += summary.durationMs;
  }
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
      const [runs, quality, flakiness, trends, patterns] = await Promise.all([
        this.sources.runs(project, window.from, window.to, filter.branch),
        this.sources.qualityScore(project, analyticsDays),
        this.sources.flakiness(project, analyticsDays, filter.branch),
        this.sources.trends(project, analyticsDays),
        this.sources.patterns(project, analyticsDays),
      ]);
      const matching = filter.environment
        ? runs.filter((run) => run.environment === filter.environment)
        : runs;
      return { project, totals: runTotals(matching), quality, flakiness, trends, patterns };
    });

    const overall = runTotals([]);
    const rows = perProject.map(({ project, totals, quality, flakiness, trends, patterns }) => {
      for (const key of Object.keys(overall) as Array<keyof RunTotals>) overall[key] += totals[key];
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
        failureClusters: patterns.clusters.length,
        newFailureClusters: patterns.clusters.filter((cluster) => cluster.isNew).length,
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
          figures: { failures: patterns.failures, clusters: patterns.clusters.length },
          limit: TOP_CLUSTERS,
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
    const widened = analyticsWindowNote(resolved);
    if (widened) notes.push(widened);
    return { sections, notes };
  }
}
