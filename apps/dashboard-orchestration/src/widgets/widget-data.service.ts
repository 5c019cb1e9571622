import { Inject, Injectable } from '@nestjs/common';
import { percentileFromHistogram } from '@testpulse/analytics';
import { CachedCalls, TwoLayerCache } from '@testpulse/cache';
import {
  ALERT_PATTERNS,
  ANALYTICS_PATTERNS,
  ActiveAlertsView,
  DASHBOARD_LIMITS,
  DayBucketView,
  EXECUTION_PATTERNS,
  FlakinessView,
  HISTORY_PATTERNS,
  KPI_NAMES,
  KpiName,
  MetricsView,
  PatternsView,
  QualityScoreView,
  RunView,
  TrendsView,
  WidgetConfigDto,
  WidgetType,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { DashboardOrchestrationEnv } from '../env';
import { LiveRuns, newestFirst } from './live-runs';
import { widgetVersion } from './widget-version';

/**
 * Tests asked of analytics-engine to pick a flaky top-N from: it lists flaky tests first, by score,
 * so the largest top-N any widget shows is enough (and every widget and tile shares the answer).
 */
const FLAKY_CANDIDATES = DASHBOARD_LIMITS.maxTop;
/** Failure clusters that carry an example message. */
const CLUSTER_EXAMPLES = 3;

export interface KpiTile {
  project: string;
  kpi: KpiName;
  value: number | null;
  unit: 'score' | 'percent' | 'tests' | 'alerts';
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Each widget type's data, from the services that own it: analyses from analytics-engine, runs and
 * daily rollups from data-aggregation, alerts from alert-management. A widget's data is kept in the
 * two-layer cache (namespace `dashboard.widgets`, keyed by type and configuration, so dashboards
 * showing the same widget share it); ingests bump the projects' generation, so it is never older
 * than the last finished run, and alert-management bumps the namespace's generation of a project
 * whose alerts change. The progress of running runs is added on top (from run events).
 */
@Injectable()
export class WidgetDataService {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    private readonly calls: CachedCalls,
    private readonly cache: TwoLayerCache,
    private readonly liveRuns: LiveRuns,
    @Inject(DashboardOrchestrationEnv) env: DashboardOrchestrationEnv,
  ) {
    this.timeoutMs = env.WIDGET_TIMEOUT_MS;
  }

  /**
   * The widget's data, its version (a hash of it, computed once with the data and kept with it) and
   * whether it came from the cache. `expectMiss`: a run just moved the generation of one of its
   * projects, so the shared layer is not asked (see ReadOptions).
   */
  async read(
    type: WidgetType,
    config: WidgetConfigDto,
    { expectMiss = false }: { expectMiss?: boolean } = {},
  ): Promise<{ data: unknown; version: string; cached: boolean }> {
    const normal = normalConfig(type, config);
    // Shared and frozen: every dashboard showing the widget reads the same copy (nothing here changes it).
    const { value, source } = await this.cache.readShared(
      { namespace: 'dashboard.widgets', projects: normal.projects, params: { type, config: normal } },
      async () => {
        const data = await this.compute(type, normal);
        return { version: widgetVersion(data), data };
      },
      { expectMiss },
    );
    const cached = source === 'local' || source === 'redis' || source === 'shared';
    if (type !== 'recent-runs') return { ...value, cached };
    const data = this.liveRuns.overlay(value.data as RecentRunsData, normal);
    return { data, version: data === value.data ? value.version : widgetVersion(data), cached };
  }

  private compute(
    type: WidgetType,
    config: Required<Pick<WidgetConfigDto, 'projects' | 'days' | 'limit'>> & WidgetConfigDto,
  ): Promise<unknown> {
    switch (type) {
      case 'kpi-tiles':
        return this.kpiTiles(config);
      case 'pass-rate-trend':
        return this.passRateTrend(config);
      case 'duration-trend':
        return this.durationTrend(config);
      case 'flaky-tests':
        return this.flakyTests(config);
      case 'failure-clusters':
        return this.failureClusters(config);
      case 'slowest-tests':
        return this.slowestTests(config);
      case 'recent-runs':
        return this.recentRuns(config);
      case 'active-alerts':
        return this.alerts(config);
    }
  }

  private async kpiTiles(config: NormalConfig) {
    const kpis = config.kpis ?? [...KPI_NAMES];
    const perProject = await Promise.all(
      config.projects.map(async (project) => {
        const tiles: KpiTile[] = [];
        const [quality, trends, flakiness, alerts] = await Promise.all([
          kpis.includes('quality-score') ? this.quality(project, config) : undefined,
          kpis.includes('pass-rate') ? this.trends(project, config) : undefined,
          // The flaky-tests widget's call: one computation serves both.
          kpis.includes('flaky-count') ? this.flakiness(project, config, FLAKY_CANDIDATES) : undefined,
          kpis.includes('open-alerts')
            ? this.alerts({ ...config, projects: [project], limit: 1 })
            : undefined,
        ]);
        for (const kpi of kpis) {
          if (kpi === 'quality-score')
            tiles.push({ project, kpi, value: quality?.score ?? null, unit: 'score' });
          if (kpi === 'pass-rate') tiles.push({ project, kpi, value: passRate(trends), unit: 'percent' });
          if (kpi === 'flaky-count')
            tiles.push({ project, kpi, value: flakiness?.counts.flaky ?? null, unit: 'tests' });
          if (kpi === 'open-alerts')
            tiles.push({ project, kpi, value: alerts?.counts.open ?? null, unit: 'alerts' });
        }
        return tiles;
      }),
    );
    return { days: config.days, tiles: perProject.flat() };
  }

  private async passRateTrend(config: NormalConfig) {
    const series = await Promise.all(
      config.projects.map(async (project) => {
        const trends = await this.trends(project, config);
        return {
          project,
          passRate: passRate(trends),
          slope: { perDay: trends.slope.perDay, direction: trends.slope.direction },
          days: trends.days.map((d) => ({
            day: d.day,
            runs: d.runs,
            rate: round(d.passRate.rate * 100),
            low: round(d.passRate.low * 100),
            high: round(d.passRate.high * 100),
            anomalous: d.anomalous,
          })),
        };
      }),
    );
    return { days: config.days, series };
  }

  private async durationTrend(config: NormalConfig) {
    const to = Date.now();
    const from = to - (config.days - 1) * 86_400_000;
    const series = await Promise.all(
      config.projects.map(async (project) => {
        // Per project in the cache: a run of one project recomputes only that project's part.
        const buckets = await this.calls.callShared<DayBucketView[]>(
          'dashboard.widgets',
          HISTORY_PATTERNS.days,
          { project, from: day(from), to: day(to), scope: config.suite ? 'suite' : 'project' },
          { timeoutMs: this.timeoutMs },
        );
        const mine = buckets.filter((b) => (config.suite ? b.key === config.suite : true));
        return {
          project,
          ...(config.suite ? { suite: config.suite } : {}),
          days: mine.map((b) => ({
            day: b.day,
            executions: b.durationCount,
            p50Ms: roundMs(percentileFromHistogram(b.hist, 0.5)),
            p95Ms: roundMs(percentileFromHistogram(b.hist, 0.95)),
            meanMs: b.durationCount ? Math.round(b.durationSum / b.durationCount) : null,
            maxMs: b.durationMax ?? null,
          })),
        };
      }),
    );
    return { days: config.days, series };
  }

  private async flakyTests(config: NormalConfig) {
    const views = await Promise.all(config.projects.map((p) => this.flakiness(p, config, FLAKY_CANDIDATES)));
    const tests = views
      .flatMap((view) =>
        view.tests
          .filter((t) => t.classification === 'flaky')
          .map((t) => ({
            project: view.project,
            testId: t.testId,
            suite: t.suite,
            name: t.name,
            score: t.score,
          })),
      )
      .sort((a, b) => b.score - a.score || a.testId.localeCompare(b.testId))
      .slice(0, config.limit);
    return {
      days: config.days,
      ...(config.branch ? { branch: config.branch } : {}),
      counts: views.map((v) => ({
        project: v.project,
        flaky: v.counts.flaky,
        broken: v.counts.broken,
        runs: v.runs,
      })),
      tests,
    };
  }

  private async failureClusters(config: NormalConfig) {
    const views = await Promise.all(
      config.projects.map((project) =>
        this.calls.callShared<PatternsView>(
          'analytics.patterns',
          ANALYTICS_PATTERNS.patterns,
          // The same request whatever the widget's limit: widgets of other sizes share the computation.
          { project, days: config.days, limit: DASHBOARD_LIMITS.maxTop, examples: CLUSTER_EXAMPLES },
          { timeoutMs: this.timeoutMs },
        ),
      ),
    );
    const clusters = views
      .flatMap((view) =>
        view.clusters.map((c) => ({
          project: view.project,
          fingerprint: c.fingerprint,
          count: c.count,
          testCount: c.testCount,
          tests: c.tests.slice(0, 3).map((t) => t.name),
          branches: c.branches.slice(0, 5),
          firstSeen: c.firstSeen,
          lastSeen: c.lastSeen,
          isNew: c.isNew,
          ...(c.example?.message ? { message: c.example.message.slice(0, 300) } : {}),
        })),
      )
      .sort((a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint))
      .slice(0, config.limit);
    return {
      days: config.days,
      totals: views.map((v) => ({
        project: v.project,
        failures: v.failures,
        clusters: v.clusterCount,
        new: v.newClusterCount,
      })),
      clusters,
    };
  }

  private async slowestTests(config: NormalConfig) {
    const views = await Promise.all(
      config.projects.map((project) =>
        this.calls.callShared<MetricsView>(
          'analytics.metrics',
          ANALYTICS_PATTERNS.metrics,
          // The widget shows tests only: the per-suite statistics would read every suite's rollups.
          { project, days: config.days, perSuite: false, ...(config.suite ? { suite: config.suite } : {}) },
          { timeoutMs: this.timeoutMs },
        ),
      ),
    );
    const slowest = views
      .flatMap((v) => v.slowest.map((t) => ({ project: v.project, ...t })))
      .sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0) || a.testId.localeCompare(b.testId))
      .slice(0, config.limit);
    const regressions = views
      .flatMap((v) => v.regressions.map((r) => ({ project: v.project, ...r })))
      .sort((a, b) => b.factor - a.factor || a.testId.localeCompare(b.testId))
      .slice(0, config.limit);
    return { days: config.days, slowest, regressions };
  }

  private async recentRuns(config: NormalConfig): Promise<RecentRunsData> {
    const pages = await Promise.all(
      config.projects.map((project) =>
        // Per project in the cache (a run's creation and end move its project's generation).
        this.calls.callShared<RunView[]>(
          'dashboard.widgets',
          EXECUTION_PATTERNS.latest,
          { project, limit: config.limit, ...(config.branch ? { branch: config.branch } : {}) },
          { timeoutMs: this.timeoutMs },
        ),
      ),
    );
    return {
      runs: pages
        .flatMap((runs) => runs.map(runEntry))
        .sort(newestFirst)
        .slice(0, config.limit),
    };
  }

  private alerts(config: NormalConfig): Promise<ActiveAlertsView> {
    return this.services.send<ActiveAlertsView>(
      ALERT_PATTERNS.active,
      { projects: config.projects, limit: config.limit },
      { timeoutMs: this.timeoutMs },
    );
  }

  private quality(project: string, config: NormalConfig): Promise<QualityScoreView> {
    return this.calls.callShared(
      'analytics.quality',
      ANALYTICS_PATTERNS.qualityScore,
      { project, days: config.days, ...(config.suite ? { suite: config.suite } : {}) },
      { timeoutMs: this.timeoutMs },
    );
  }

  private trends(project: string, config: NormalConfig): Promise<TrendsView> {
    return this.calls.callShared(
      'analytics.trends',
      ANALYTICS_PATTERNS.trends,
      { project, days: config.days, ...(config.suite ? { suite: config.suite } : {}) },
      { timeoutMs: this.timeoutMs },
    );
  }

  private flakiness(project: string, config: NormalConfig, limit: number): Promise<FlakinessView> {
    return this.calls.callShared(
      'analytics.flakiness',
      ANALYTICS_PATTERNS.flakiness,
      { project, days: config.days, limit, ...(config.branch ? { branch: config.branch } : {}) },
      { timeoutMs: this.timeoutMs },
    );
  }
}

export type NormalConfig = WidgetConfigDto & { projects: string[]; days: number; limit: number };

export interface RecentRunEntry {
  project: string;
  runId: string;
  name?: string;
  branch?: string;
  status: RunView['status'];
  summary: RunView['summary'];
  startedAt: string;
  finishedAt?: string;
}

export interface RecentRunsData {
  runs: RecentRunEntry[];
}

function runEntry(run: RunView): RecentRunEntry {
  return {
    project: run.project,
    runId: run.runId,
    ...(run.name ? { name: run.name } : {}),
    ...(run.branch ? { branch: run.branch } : {}),
    status: run.status,
    summary: run.summary,
    startedAt: run.startedAt,
    ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
  };
}

/**
 * The configuration a widget's data depends on, with defaults filled and the fields its type does
 * not read dropped: two widgets showing the same thing share one cache entry.
 */
export function normalConfig(type: WidgetType, config: WidgetConfigDto): NormalConfig {
  const normal: NormalConfig = {
    projects: [...new Set(config.projects)],
    days: config.days ?? DASHBOARD_LIMITS.defaultDays,
    limit: config.limit ?? DASHBOARD_LIMITS.defaultTop,
  };
  const reads = READS[type];
  if (reads.includes('branch') && config.branch) normal.branch = config.branch;
  if (reads.includes('suite') && config.suite) normal.suite = config.suite;
  if (reads.includes('kpis') && config.kpis) normal.kpis = KPI_NAMES.filter((k) => config.kpis?.includes(k));
  return normal;
}

const READS: Record<WidgetType, Array<'branch' | 'suite' | 'kpis'>> = {
  'kpi-tiles': ['branch', 'suite', 'kpis'],
  'pass-rate-trend': ['suite'],
  'duration-trend': ['suite'],
  'flaky-tests': ['branch'],
  'failure-clusters': [],
  'slowest-tests': ['suite'],
  'recent-runs': ['branch'],
  'active-alerts': [],
};

function passRate(trends: TrendsView | undefined): number | null {
  if (!trends) return null;
  const { passed, failed, errored } = trends.totals;
  const decided = passed + failed + errored;
  return decided === 0 ? null : round((passed / decided) * 100);
}

const round = (value: number): number => Math.round(value * 100) / 100;
const roundMs = (value: number | undefined): number | null =>
  value === undefined ? null : Math.round(value);
