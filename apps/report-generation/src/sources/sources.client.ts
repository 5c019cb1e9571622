import { Inject, Injectable } from '@nestjs/common';
import {
  DayBucketView,
  ANALYTICS_PATTERNS,
  CacheNamespace,
  CatalogueTestView,
  EXECUTION_PATTERNS,
  FlakinessView,
  HISTORY_PATTERNS,
  MetricsView,
  OUTCOMES_PER_REQUEST,
  PROJECT_PATTERNS,
  Page,
  PackedRunOutcomesView,
  PatternsView,
  ProjectAccessReply,
  QualityScoreView,
  RunHeader,
  RunView,
  StoredResultView,
  TrendsView,
} from '@testpulse/contracts';
import { CachedCalls } from '@testpulse/cache';
import { ResultStatus, TestOutcome, unpackOutcomes } from '@testpulse/domain';
import { RpcCallError, ServiceClient, rpcError } from '@testpulse/messaging';
import { ReportGenerationEnv } from '../env';

/**
 * Everything a report reads, over the transport: analyses from analytics-engine, runs and results
 * from data-aggregation, memberships from user-preferences. Never another service's collections.
 * A refusal of the service asked keeps its code and message (a run that does not exist stays 404).
 */
@Injectable()
export class SourcesClient {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    private readonly cached: CachedCalls,
    @Inject(ReportGenerationEnv) env: ReportGenerationEnv,
  ) {
    this.timeoutMs = env.REPORT_TIMEOUT_MS;
  }

  /** `limit`: tests listed (default all); the counts cover every test. */
  flakiness(project: string, days: number, branch?: string, limit?: number): Promise<FlakinessView> {
    return this.analysis('analytics.flakiness', ANALYTICS_PATTERNS.flakiness, {
      project,
      days,
      ...(branch ? { branch } : {}),
      ...(limit !== undefined ? { limit } : {}),
    });
  }

  qualityScore(project: string, days: number, suite?: string): Promise<QualityScoreView> {
    return this.analysis('analytics.quality', ANALYTICS_PATTERNS.qualityScore, {
      project,
      days,
      ...(suite ? { suite } : {}),
    });
  }

  trends(project: string, days: number, suite?: string): Promise<TrendsView> {
    return this.analysis('analytics.trends', ANALYTICS_PATTERNS.trends, {
      project,
      days,
      ...(suite ? { suite } : {}),
    });
  }

  metrics(project: string, days: number, suite?: string): Promise<MetricsView> {
    return this.analysis('analytics.metrics', ANALYTICS_PATTERNS.metrics, {
      project,
      days,
      ...(suite ? { suite } : {}),
    });
  }

  /**
   * `limit`: clusters listed, the largest first (default all; the counts cover all); `examples`:
   * largest clusters that get an example failure (default: analytics-engine's).
   */
  patterns(project: string, days: number, limit?: number, examples?: number): Promise<PatternsView> {
    return this.analysis('analytics.patterns', ANALYTICS_PATTERNS.patterns, {
      project,
      days,
      ...(limit !== undefined ? { limit } : {}),
      ...(examples !== undefined ? { examples } : {}),
    });
  }

  /** The daily project buckets of the days `from`..`to` (days without runs are left out). */
  projectDays(project: string, from: string, to: string): Promise<DayBucketView[]> {
    return this.call(HISTORY_PATTERNS.days, { project, from, to, scope: 'project' });
  }

  /** Finished runs of the days `from`..`to`, oldest first. */
  runs(project: string, from: string, to: string, branch?: string): Promise<RunHeader[]> {
    return this.call(HISTORY_PATTERNS.runs, { project, from, to, ...(branch ? { branch } : {}) });
  }

  /** The decoded per-test outcomes of runs that have them (unfinished runs have none). */
  async outcomes(project: string, runIds: string[]): Promise<Map<string, TestOutcome[]>> {
    const decoded = new Map<string, TestOutcome[]>();
    for (let i = 0; i < runIds.length; i += OUTCOMES_PER_REQUEST) {
      const views = await this.call<PackedRunOutcomesView[]>(HISTORY_PATTERNS.outcomes, {
        project,
        runIds: runIds.slice(i, i + OUTCOMES_PER_REQUEST),
      });
      for (const view of views)
        decoded.set(
          view.runId,
          view.parts.flatMap((part) =>
            unpackOutcomes(Buffer.from(part.outcomes, 'base64'), Buffer.from(part.failures, 'base64')),
          ),
        );
    }
    return decoded;
  }

  async catalogue(project: string): Promise<Map<string, CatalogueTestView>> {
    const tests = await this.call<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, { project });
    return new Map(tests.map((test) => [test.testId, test]));
  }

  /** A page of the project's runs, newest first. */
  listRuns(project: string, page: number, pageSize: number, branch?: string): Promise<Page<RunView>> {
    return this.call(EXECUTION_PATTERNS.list, { project, page, pageSize, ...(branch ? { branch } : {}) });
  }

  getRun(project: string, runId: string): Promise<RunView> {
    return this.call(EXECUTION_PATTERNS.get, { project, runId });
  }

  /** A page of a run's stored results of one status, with attempts, error and stack. */
  results(
    project: string,
    runId: string,
    status: ResultStatus,
    page: number,
    pageSize: number,
  ): Promise<Page<StoredResultView>> {
    return this.call(EXECUTION_PATTERNS.results, { project, runId, status, page, pageSize });
  }

  /** Which of `keys` do not exist, and which exist but `member` does not belong to. */
  access(keys: string[], member: string): Promise<ProjectAccessReply> {
    return this.call(PROJECT_PATTERNS.checkAccess, { keys, member });
  }

  /** An analysis through the two-layer cache, shared with the gateway's reads of the same analysis. */
  private analysis<T>(namespace: CacheNamespace, pattern: string, data: Record<string, unknown>): Promise<T> {
    return this.mapErrors(() => this.cached.call<T>(namespace, pattern, data, { timeoutMs: this.timeoutMs }));
  }

  private call<T>(pattern: string, data: unknown): Promise<T> {
    return this.mapErrors(() => this.services.send<T>(pattern, data, { timeoutMs: this.timeoutMs }));
  }

  private async mapErrors<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof RpcCallError) throw rpcError(error.code, error.message, error.details);
      throw error;
    }
  }
}
