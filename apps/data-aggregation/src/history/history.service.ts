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
  RunStatesView,
} from '@testpulse/contracts';
import { emptySummary, unpackOutcomes } from '@testpulse/domain';
import { rpcError } from '@testpulse/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { ResultsRepository } from '../results/results.repository';
import { RollupsRepository } from '../rollups/rollups.repository';
import { MetricSnapshot, snapshotId } from '../rollups/schemas/metric-snapshot.schema';
import { RunStates } from '../rollups/schemas/run-states.schema';
import { planRunStates } from '../rollups/states-plan';
import { RunRecord, RunsRepository } from '../runs/runs.repository';
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
  ...(doc.scope === 'project' && doc.fingerprints ? { fingerprints: doc.fingerprints } : {}),
});

type RunLike = Pick<
  RunRecord,
  'runId' | 'day' | 'startedAt' | 'finishedAt' | 'status' | 'branch' | 'commit' | 'environment'
> & { summary?: RunRecord['summary'] };

const oldestFirst = (a: RunLike, b: RunLike): number =>
  a.startedAt.getTime() - b.startedAt.getTime() || a.runId.localeCompare(b.runId);

const toRunHeader = (run: RunLike & { live?: RunRecord['live'] }): RunHeader => ({
  runId: run.runId,
  day: run.day,
  startedAt: run.startedAt.toISOString(),
  ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
  status: run.status,
  ...(run.branch ? { branch: run.branch } : {}),
  ...(run.commit ? { commit: run.commit } : {}),
  ...(run.environment ? { environment: run.environment } : {}),
  summary: run.summary ?? run.live ?? emptySummary(),
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
    const runs = await this.runs.findByKeys(await this.runKeysIn(message));
    return runs
      .filter((run) => run.complete && (!message.branch || run.branch === message.branch))
      .sort(oldestFirst)
      .map(toRunHeader);
  }

  /**
   * Finished runs of the window with their packed test states, oldest first. A run finalised before
   * states were written gets them now, from its packed outcomes (once: they are stored).
   */
  async statesIn(message: HistoryWindowMessage): Promise<RunStatesView[]> {
    const keys = await this.runKeysIn(message);
    const stored = await this.rollups.statesOf(keys);
    const missing = keys.filter((_, i) => stored[i] === null);
    const filled = missing.length > 0 ? await this.fillStates(message.project, missing) : [];
    return [...stored, ...filled]
      .filter((doc): doc is RunStates => doc !== null)
      .filter((doc) => !message.branch || doc.branch === message.branch)
      .sort(oldestFirst)
      .map((doc) => ({
        ...toRunHeader(doc),
        tests: doc.runTests,
        failing: doc.runFailing,
        states: bytesOf(doc.states).toString('base64'),
        failures: bytesOf(doc.failures).toString('base64'),
      }));
  }

  private async fillStates(project: string, keys: string[]): Promise<RunStates[]> {
    const runs = (await this.runs.findByKeys(keys)).filter((run) => run.complete);
    const outcomes = await this.rollups.outcomesOf(
      project,
      runs.map((run) => run.runId),
    );
    const filled: RunStates[] = [];
    for (const run of runs) {
      const parts = outcomes.get(run.runId);
      if (!parts) continue;
      const executions = parts.flatMap((part) =>
        unpackOutcomes(bytesOf(part.outcomes), bytesOf(part.failures)),
      );
      const ordinals = await this.catalogue.ordinalsOf(
        project,
        executions.map((e) => e.testId),
      );
      const { doc } = planRunStates(run, run.status, run.summary ?? run.live, executions, ordinals);
      await this.rollups.insertStates(doc);
      filled.push(doc);
    }
    return filled;
  }

  private async runKeysIn(message: HistoryWindowMessage): Promise<string[]> {
    const buckets = await this.projectBuckets(message.project, daysBetween(message.from, message.to));
    return buckets.flatMap((bucket) => bucket.runs ?? []);
  }

  async outcomes(message: RunOutcomesMessage): Promise<PackedRunOutcomesView[]> {
    const byRun = await this.rollups.outcomesOf(message.project, message.runIds);
    return message.runIds.flatMap((runId) => {
      const parts = byRun.get(runId);
      if (!parts) return [];
      return [
        {
          runId,
          tests: parts[0].runTests,
          failing: parts[0].runFailing,
          parts: parts.map((part) => ({
            outcomes: bytesOf(part.outcomes).toString('base64'),
            failures: bytesOf(part.failures).toString('base64'),
          })),
        },
      ];
    });
  }

  /** Every test of the project, or those with these ordinals. */
  async catalogueOf(project: string, ordinals?: readonly number[]): Promise<CatalogueTestView[]> {
    const wanted = ordinals ? new Set(ordinals) : undefined;
    const tests = await this.catalogue.ofProject(project);
    return (wanted ? tests.filter((test) => wanted.has(test.ordinal)) : tests).map((test) => ({
      testId: test.testId,
      ordinal: test.ordinal,
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
