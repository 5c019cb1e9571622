import { Injectable } from '@nestjs/common';
import { DataVersions } from '@testpulse/cache';
import {
  CatalogueTestView,
  DailyRollupsMessage,
  DayBucketView,
  FailureExampleMessage,
  FailureExampleView,
  FailureFingerprintsView,
  HistoryWindowMessage,
  PackedRunOutcomesView,
  RunHeader,
  RunOutcomesMessage,
  WindowRunView,
  dayDataVersion,
} from '@testpulse/contracts';
import { emptySummary, unpackOutcomes } from '@testpulse/domain';
import { rpcError } from '@testpulse/messaging';
import { CatalogueRepository } from '../catalogue/catalogue.repository';
import { ResultsRepository } from '../results/results.repository';
import { CalendarRepository } from '../rollups/calendar.repository';
import { RollupsRepository } from '../rollups/rollups.repository';
import { DayIndex } from '../rollups/schemas/day-index.schema';
import { MetricSnapshot, snapshotId } from '../rollups/schemas/metric-snapshot.schema';
import { DayRunStates, DayStates } from '../rollups/schemas/day-states.schema';
import { RunOutcomes } from '../rollups/schemas/run-outcomes.schema';
import { planRunStates, unpackExamples } from '../rollups/states-plan';
import { RunRecord, RunsRepository } from '../runs/runs.repository';
import { runKey } from '../runs/schemas/run.schema';
import { bytesOf } from '../storage/bytes';
import { SharedReads } from '../storage/shared-reads';
import { StoredMemo } from './stored-memo';

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

type RunLike = Pick<
  RunRecord,
  'runId' | 'day' | 'startedAt' | 'finishedAt' | 'status' | 'branch' | 'commit' | 'environment'
> & { summary?: RunRecord['summary'] };

type DayRun = DayRunStates & { day: string };

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
  private readonly bucketReads = new SharedReads<MetricSnapshot[]>();

  constructor(
    private readonly runs: RunsRepository,
    private readonly rollups: RollupsRepository,
    private readonly calendar: CalendarRepository,
    private readonly catalogue: CatalogueRepository,
    private readonly results: ResultsRepository,
    private readonly memo: StoredMemo,
    private readonly versions: DataVersions,
  ) {}

  /** Finished runs of the window (rolled up), oldest first: from the days' states documents. */
  async runsIn(message: HistoryWindowMessage): Promise<RunHeader[]> {
    return (await this.windowStates(message)).map(toRunHeader);
  }

  /**
   * Finished runs of the window with their packed test states, oldest first; the runs the caller
   * holds already by id only.
   */
  async statesIn(message: HistoryWindowMessage): Promise<WindowRunView[]> {
    const known = new Set(message.known ?? []);
    return (await this.windowStates(message)).map((run) =>
      known.has(run.runId)
        ? { runId: run.runId, known: true as const }
        : {
            ...toRunHeader(run),
            tests: run.runTests,
            failing: run.runFailing,
            ...this.packedStates(message.project, run),
          },
    );
  }

  private packedStates(project: string, run: DayRun) {
    return {
      states: bytesOf(run.states).toString('base64'),
      failures: bytesOf(run.failures).toString('base64'),
      examples: unpackExamples({ project, runId: run.runId }, run.examples),
    };
  }

  /**
   * The window's runs as their days' states hold them: the project buckets list the days' runs, and
   * each day's states are one or a few `_id` lookups. A run the states do not hold yet (finalised
   * before they existed) gets its entry now, from its packed outcomes.
   */
  private async windowStates(message: HistoryWindowMessage): Promise<DayRun[]> {
    // Both at once, for the days the calendar lists.
    const days = await this.daysWithRuns(message);
    const [allBuckets, docs] = await Promise.all([
      this.projectBuckets(message.project, days),
      this.dayStates(message.project, days),
    ]);
    const buckets = allBuckets.filter((bucket) => (bucket.runs ?? []).length > 0);
    const runs = new Map<string, DayRun>();
    for (const doc of docs)
      for (const entry of doc.runs)
        runs.set(runKey(message.project, entry.runId), { ...entry, day: doc.day });
    const missing = buckets.flatMap((bucket) => (bucket.runs ?? []).filter((key) => !runs.has(key)));
    if (missing.length > 0)
      for (const run of await this.fillStates(message.project, missing))
        runs.set(runKey(message.project, run.runId), run);
    return [...runs.values()]
      .filter((run) => !message.branch || run.branch === message.branch)
      .sort(oldestFirst);
  }

  private async fillStates(project: string, keys: string[]): Promise<DayRun[]> {
    const runs = (await this.runs.findByKeys(keys)).filter((run) => run.complete);
    const outcomes = await this.rollups.outcomesOf(
      project,
      runs.map((run) => run.runId),
    );
    const filled: DayRun[] = [];
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
      const { entry } = planRunStates(run, run.status, run.summary ?? run.live, executions, ordinals);
      await this.rollups.pushDayStates(project, run.day, entry);
      await this.versions.bump(dayDataVersion(project, run.day));
      filled.push({ ...entry, day: run.day });
    }
    return filled;
  }

  async outcomes(message: RunOutcomesMessage): Promise<PackedRunOutcomesView[]> {
    // Outcomes are written once (parts already stored are kept), so a whole set never changes.
    const byRun = await this.memo.immutable<RunOutcomes[]>(
      `outcomes|${message.project}`,
      message.runIds,
      (runIds) => this.rollups.outcomesOf(message.project, runIds),
      (parts) => parts.length === parts[0].parts,
      (parts) =>
        parts.reduce((n, p) => n + bytesOf(p.outcomes).byteLength + bytesOf(p.failures).byteLength + 200, 0),
    );
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
    const { project } = message;
    const projectBuckets = await this.projectBuckets(project, await this.daysWithRuns(message));
    if (message.scope === 'project') return projectBuckets.map(toDayView);
    const suitesByDay = await this.memo.perDay<MetricSnapshot[]>(
      'suite-buckets',
      project,
      projectBuckets.map((bucket) => bucket.day),
      async (days) => {
        const indexes = await this.dayIndexes(project, days);
        const byDay = new Map(projectBuckets.map((bucket) => [bucket.day, bucket]));
        const ids = days.flatMap((day, i) =>
          (indexes[i]?.suites ?? byDay.get(day)?.suites ?? []).map((suite) =>
            snapshotId(project, day, 'suite', suite),
          ),
        );
        const found = new Map<string, MetricSnapshot[]>(days.map((day) => [day, []]));
        for (const doc of await this.rollups.bucketsByIds(ids)) if (doc) found.get(doc.day)?.push(doc);
        return found;
      },
      (docs) => docs.reduce((n, doc) => n + bucketSize(doc), 0),
    );
    return projectBuckets.flatMap((bucket) => suitesByDay.get(bucket.day) ?? []).map(toDayView);
  }

  /**
   * The fingerprints of the window's failures, from its days' indexes; `complete` is false when a day
   * with runs has no index (its runs were rolled up before the indexes existed).
   */
  async failureFingerprints(message: HistoryWindowMessage): Promise<FailureFingerprintsView> {
    const buckets = (await this.projectBuckets(message.project, await this.daysWithRuns(message))).filter(
      (bucket) => (bucket.runs ?? []).length > 0,
    );
    const indexes = await this.dayIndexes(
      message.project,
      buckets.map((bucket) => bucket.day),
    );
    return {
      complete: indexes.every((index) => index !== null),
      fingerprints: [...new Set(indexes.flatMap((index) => index?.fingerprints ?? []))],
    };
  }

  async failureExample(message: FailureExampleMessage): Promise<FailureExampleView> {
    const named = message.resultId ? (await this.results.findByIds([message.resultId]))[0] : undefined;
    const stored =
      named && named.project === message.project && named.runId === message.runId
        ? named
        : await this.searchFailure(message);
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

  /** A stored failure with the fingerprint among the run's results (its manifests, then one result). */
  private async searchFailure(message: FailureExampleMessage) {
    const run = await this.runs.find(message.project, message.runId);
    const facts = run ? await this.results.factsOfRun(run) : [];
    const fact = facts.find((f) => f.fingerprint === message.fingerprint);
    return fact ? (await this.results.findByIds([fact.id]))[0] : undefined;
  }

  /** The days of the window that the project's calendar lists (every day until it is complete). */
  private daysWithRuns(message: HistoryWindowMessage): Promise<string[]> {
    return this.calendar.withRuns(message.project, daysBetween(message.from, message.to));
  }

  /**
   * The project's buckets of these days. Reads of the same days in flight share one read: an analysis
   * asks for a window's buckets and its states at once, and both need them.
   */
  private projectBuckets(project: string, days: string[]): Promise<MetricSnapshot[]> {
    if (days.length === 0) return Promise.resolve([]);
    return this.bucketReads.read(JSON.stringify([project, ...days]), async () => {
      const byDay = await this.memo.perDay<MetricSnapshot>(
        'project-bucket',
        project,
        days,
        async (missing) => {
          const docs = await this.rollups.bucketsByIds(
            missing.map((day) => snapshotId(project, day, 'project')),
          );
          return new Map(docs.flatMap((doc) => (doc ? [[doc.day, doc] as const] : [])));
        },
        bucketSize,
      );
      return days.flatMap((day) => byDay.get(day) ?? []);
    });
  }

  /** Every chunk of the states of these days (days without any are left out). */
  private async dayStates(project: string, days: string[]): Promise<DayStates[]> {
    const byDay = await this.memo.perDay<DayStates[]>(
      'day-states',
      project,
      days,
      async (missing) => {
        const found = new Map<string, DayStates[]>();
        for (const doc of await this.rollups.dayStatesOf(project, missing))
          found.set(doc.day, [...(found.get(doc.day) ?? []), doc]);
        return found;
      },
      (chunks) => chunks.reduce((n, doc) => n + (doc.bytes ?? 0) + doc.runs.length * 600, 0),
    );
    return days.flatMap((day) => byDay.get(day) ?? []);
  }

  /** The indexes of these days, in order (`null` where none is stored). */
  private async dayIndexes(project: string, days: string[]): Promise<Array<DayIndex | null>> {
    const byDay = await this.memo.perDay<DayIndex>(
      'day-index',
      project,
      days,
      async (missing) => {
        const docs = await this.rollups.dayIndexesOf(project, missing);
        return new Map(docs.flatMap((doc) => (doc ? [[doc.day, doc] as const] : [])));
      },
      (index) => 100 + (index.suites.length + index.fingerprints.length) * 60,
    );
    return days.map((day) => byDay.get(day) ?? null);
  }
}

/** About what a bucket takes in memory: counters and a histogram of a few dozen bins. */
const bucketSize = (doc: MetricSnapshot): number =>
  400 +
  Object.keys(doc.hist ?? {}).length * 40 +
  (doc.runs?.length ?? 0) * 60 +
  (doc.suites?.length ?? 0) * 60;
