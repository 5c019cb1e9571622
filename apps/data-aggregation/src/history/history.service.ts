import { Injectable } from '@nestjs/common';
import {
  CatalogueTestView,
  DailyRollupsMessage,
  DayBucketView,
  FailureExampleMessage,
  FailureExampleView,
  HistoryWindowMessage,
  PackedRunOutcomesView,
  RunHeader,
  RunOutcomesMessage,
} from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { ResultsRepository } from '../results/results.repository';
import { RollupsRepository } from '../rollups/rollups.repository';
import { MetricSnapshot, snapshotId } from '../rollups/schemas/metric-snapshot.schema';
import { RunsRepository } from '../runs/runs.repository';
import { bytesOf } from '../storage/bytes';

const DAY_MS = 24 * 3600 * 1000;
/** The longest window a history read may span. */
export const MAX_WINDOW_DAYS = 400;

/** The UTC days from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(start) || Number.isNaN(end))
    throw rpcError('INVALID_ARGUMENT', `from and to must be days (YYYY-MM-DD): ${from}, ${to}`);
  if (end < start) throw rpcError('INVALID_ARGUMENT', `from (${from}) is after to (${to})`);
  const count = Math.round((end - start) / DAY_MS) + 1;
  if (count > MAX_WINDOW_DAYS)
    throw rpcError('INVALID_ARGUMENT', `the window spans ${count} days; at most ${MAX_WINDOW_DAYS}`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
}

const toDayView = (doc: MetricSnapshot): DayBucketView => ({
  day: doc.day,
  scope: doc.scope,
  key: doc.key,
  runs: doc.runs?.length ?? 0,
  tests: doc.tests ?? 0,
  passed: doc.passed ?? 0,
  failed: doc.failed ?? 0,
  errored: doc.errored ?? 0,
  skipped: doc.skipped ?? 0,
  flaky: doc.flaky ?? 0,
  durationCount: doc.durationCount ?? 0,
  durationSum: doc.durationSum ?? 0,
  ...(doc.durationMin !== undefined ? { durationMin: doc.durationMin } : {}),
  ...(doc.durationMax !== undefined ? { durationMax: doc.durationMax } : {}),
  hist: doc.hist ?? {},
});

/**
 * Reads of the stored history for the services that compute. Every read is a set of `_id` lookups:
 * a day's runs are listed in the day's project bucket, a run's per-test rollup is keyed by run.
 */
@Injectable()
export class HistoryService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly rollups: RollupsRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly results: ResultsRepository,
  ) {}

  /** Finished runs of the window (rolled up), oldest first. */
  async runsIn(message: HistoryWindowMessage): Promise<RunHeader[]> {
    const buckets = await this.projectBuckets(message.project, daysBetween(message.from, message.to));
    const keys = buckets.flatMap((bucket) => bucket.runs ?? []);
    const runs = await this.runs.findByKeys(keys);
    return runs
      .filter((run) => run.complete && (!message.branch || run.branch === message.branch))
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.runId.localeCompare(b.runId))
      .map((run) => ({
        runId: run.runId,
        day: run.day,
        startedAt: run.startedAt.toISOString(),
        ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
        status: run.status,
        ...(run.branch ? { branch: run.branch } : {}),
        ...(run.commit ? { commit: run.commit } : {}),
        ...(run.environment ? { environment: run.environment } : {}),
        summary: run.summary ?? run.live,
      }));
  }

  async outcomes(message: RunOutcomesMessage): Promise<PackedRunOutcomesView[]> {
    const byRun = await this.rollups.outcomesOf(message.project, message.runIds, message.failuresOnly);
    return message.runIds.flatMap((runId) => {
      const parts = byRun.get(runId);
      if (!parts) return [];
      return [
        {
          runId,
          tests: parts[0].runTests,
          failing: parts[0].runFailing,
          parts: parts.map((part) => ({
            outcomes: message.failuresOnly ? '' : bytesOf(part.outcomes).toString('base64'),
            failures: bytesOf(part.failures).toString('base64'),
          })),
        },
      ];
    });
  }

  async catalogueOf(project: string): Promise<CatalogueTestView[]> {
    return (await this.catalogue.ofProject(project)).map((test) => ({
      testId: test.testId,
      suite: test.suite,
      name: test.name,
      ...(test.file ? { file: test.file } : {}),
      firstSeen: new Date(test.firstSeen).toISOString(),
    }));
  }

  /** Daily buckets of the project, or of every suite that has one, for the days that have any. */
  async days(message: DailyRollupsMessage): Promise<DayBucketView[]> {
    const projectBuckets = await this.projectBuckets(message.project, daysBetween(message.from, message.to));
    if (message.scope === 'project') return projectBuckets.map(toDayView);
    const ids = projectBuckets.flatMap((bucket) =>
      (bucket.suites ?? []).map((suite) => snapshotId(message.project, bucket.day, 'suite', suite)),
    );
    const suites = await this.rollups.bucketsByIds(ids);
    return suites.filter((doc): doc is MetricSnapshot => doc !== null).map(toDayView);
  }

  async failureExample(message: FailureExampleMessage): Promise<FailureExampleView> {
    const run = await this.runs.find(message.project, message.runId);
    const facts = run ? await this.results.factsOfRun(run) : [];
    const fact = facts.find((f) => f.fingerprint === message.fingerprint);
    const [stored] = fact ? await this.results.findByIds([fact.id]) : [];
    if (!stored || (stored.status !== 'failed' && stored.status !== 'errored'))
      throw rpcError(
        'NOT_FOUND',
        `no stored failure with fingerprint ${message.fingerprint} in run '${message.runId}' (raw results expire)`,
      );
    return {
      runId: message.runId,
      testId: stored.testId,
      suite: stored.suite,
      name: stored.name,
      status: stored.status,
      error: stored.error ?? {},
    };
  }

  private async projectBuckets(project: string, days: string[]): Promise<MetricSnapshot[]> {
    const docs = await this.rollups.bucketsByIds(days.map((day) => snapshotId(project, day, 'project')));
    return docs.filter((doc): doc is MetricSnapshot => doc !== null);
  }
}
