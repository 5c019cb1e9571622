import { Injectable } from '@nestjs/common';
import { REPORT_LIMITS, ReportFilterDto, RunView, StoredResultView } from '@testpulse/contracts';
import { ResultStatus } from '@testpulse/domain';
import { ReportWindow, ResolvedFilter } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { BuiltReport, ReportBuilder } from './report-builder';
import { PROJECT_CONCURRENCY, clip, mapLimit, section } from './sections';

const RUN_PAGE_SIZE = 100;
/** Runs looked at per project before giving up on finding the window (newest first). */
const MAX_RUN_PAGES = 20;
const RESULT_PAGE_SIZE = 200;
/** Results read per run and status: beyond that, matching rows are counted as "at least". */
const MAX_RESULT_PAGES = 25;
const DEFAULT_STATUSES: ResultStatus[] = ['failed', 'errored'];

/** Whether a stored result passes the suite and tag filters (a result needs one of the tags). */
export function resultMatches(
  result: StoredResultView,
  filter: Pick<ReportFilterDto, 'suites' | 'tags'>,
): boolean {
  if (filter.suites?.length && !filter.suites.includes(result.suite)) return false;
  if (filter.tags?.length && !filter.tags.some((tag) => result.tags.includes(tag))) return false;
  return true;
}

/** Whether a run of the list belongs in the drill-down: closed, in the window, of the environment. */
export function runMatches(run: RunView, window: ReportWindow, environment?: string): boolean {
  const day = run.startedAt.slice(0, 10);
  if (run.status === 'running' || day < window.from || day > window.to) return false;
  return !environment || run.environment === environment;
}

/** A drill-down row: the failure with its attempts, error and (cut) stack. */
export function failureRow(result: StoredResultView): Record<string, unknown> {
  return {
    testId: result.testId,
    suite: result.suite,
    name: result.name,
    ...(result.file ? { file: result.file } : {}),
    status: result.status,
    flaky: result.flaky,
    durationMs: result.durationMs,
    attempts: result.attempts.map((attempt) => ({
      status: attempt.status,
      durationMs: attempt.durationMs,
      ...(attempt.message ? { message: clip(attempt.message, REPORT_LIMITS.errorMessage) } : {}),
    })),
    ...(result.error
      ? {
          error: {
            ...(result.error.type ? { type: result.error.type } : {}),
            ...(result.error.message
              ? { message: clip(result.error.message, REPORT_LIMITS.errorMessage) }
              : {}),
            ...(result.error.stack ? { stack: clip(result.error.stack, REPORT_LIMITS.errorStack) } : {}),
            ...(result.error.fingerprint ? { fingerprint: result.error.fingerprint } : {}),
          },
        }
      : {}),
    tags: result.tags,
  };
}

interface RunFailures {
  project: string;
  run: RunView;
  rows: Array<Record<string, unknown>>;
  /** Matching results found (all of them unless `partial`). */
  total: number;
  partial: boolean;
}

@Injectable()
export class FailureDrilldownTemplate implements ReportBuilder {
  readonly id = 'failure-drilldown' as const;

  constructor(private readonly sources: SourcesClient) {}

  async build(resolved: ResolvedFilter): Promise<BuiltReport> {
    const { filter, window } = resolved;
    if (!window) throw new Error('failure-drilldown needs a window');
    const notes: string[] = [];
    const runsPerProject = await mapLimit(resolved.projects, PROJECT_CONCURRENCY, async (project) => {
      const { runs, exhausted } = await this.latestRuns(project, window, filter);
      if (!exhausted)
        notes.push(
          `${project}: only the newest ${MAX_RUN_PAGES * RUN_PAGE_SIZE} runs were searched for the window`,
        );
      return runs.map((run) => ({ project, run }));
    });
    const chosen = runsPerProject.flat();
    const drilled = await mapLimit(chosen, PROJECT_CONCURRENCY, ({ project, run }) =>
      this.failuresOf(project, run, filter),
    );

    const clusters = new Map<
      string,
      { fingerprint: string; count: number; tests: Set<string>; row: Record<string, unknown> }
    >();
    for (const { rows } of drilled)
      for (const row of rows) {
        const error = row.error as { fingerprint?: string } | undefined;
        if (!error?.fingerprint) continue;
        const cluster = clusters.get(error.fingerprint) ?? {
          fingerprint: error.fingerprint,
          count: 0,
          tests: new Set<string>(),
          row,
        };
        cluster.count += 1;
        cluster.tests.add(`${String(row.suite)} › ${String(row.name)}`);
        clusters.set(error.fingerprint, cluster);
      }

    const sections = [
      section({
        key: 'runs',
        title: 'Runs drilled into',
        figures: {
          runs: drilled.length,
          failures: drilled.reduce((n, d) => n + d.total, 0),
          statuses: (filter.statuses ?? DEFAULT_STATUSES).join(', '),
          from: window.from,
          to: window.to,
        },
        rows: drilled.map(({ project, run, total, partial }) => ({
          project,
          runId: run.runId,
          ...(run.branch ? { branch: run.branch } : {}),
          ...(run.commit ? { commit: run.commit } : {}),
          ...(run.environment ? { environment: run.environment } : {}),
          status: run.status,
          startedAt: run.startedAt,
          tests: run.summary.tests,
          failed: run.summary.failed,
          errored: run.summary.errored,
          matching: total,
          ...(partial ? { matchingIsLowerBound: true } : {}),
        })),
      }),
      ...drilled.map(({ project, run, rows, total, partial }) =>
        section({
          key: `failures:${project}:${run.runId}`,
          title: `Failures of run ${run.runId} (${project})`,
          project,
          figures: {
            runId: run.runId,
            branch: run.branch ?? null,
            commit: run.commit ?? null,
            environment: run.environment ?? null,
            startedAt: run.startedAt,
            tests: run.summary.tests,
            passed: run.summary.passed,
            failed: run.summary.failed,
            errored: run.summary.errored,
            skipped: run.summary.skipped,
            flaky: run.summary.flaky,
          },
          rows,
          total,
          notes: partial
            ? [`only the first ${MAX_RESULT_PAGES * RESULT_PAGE_SIZE} results of each status were read`]
            : [],
        }),
      ),
      section({
        key: 'clusters',
        title: 'Failures of these runs by fingerprint',
        rows: [...clusters.values()]
          .sort((a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint))
          .map((cluster) => {
            const error = cluster.row.error as { type?: string; message?: string };
            return {
              fingerprint: cluster.fingerprint,
              count: cluster.count,
              tests: [...cluster.tests].slice(0, 10),
              testCount: cluster.tests.size,
              ...(error.type ? { type: error.type } : {}),
              ...(error.message ? { message: clip(error.message, 500) } : {}),
            };
          }),
        notes: ['counted over the rows listed above'],
      }),
    ];
    notes.unshift(
      `the latest ${REPORT_LIMITS.drilldownRuns} closed runs per project started in ${window.from}..${window.to}` +
        (filter.branch ? ` on branch ${filter.branch}` : '') +
        (filter.environment ? ` in environment ${filter.environment}` : ''),
    );
    return { sections, notes };
  }

  /** The newest closed runs of the window (newest first), and whether the search reached its end. */
  private async latestRuns(
    project: string,
    window: ReportWindow,
    filter: ReportFilterDto,
  ): Promise<{ runs: RunView[]; exhausted: boolean }> {
    const runs: RunView[] = [];
    for (let page = 1; page <= MAX_RUN_PAGES; page++) {
      const { items, total } = await this.sources.listRuns(project, page, RUN_PAGE_SIZE, filter.branch);
      for (const run of items) {
        if (run.startedAt.slice(0, 10) < window.from) return { runs, exhausted: true };
        if (!runMatches(run, window, filter.environment)) continue;
        runs.push(run);
        if (runs.length === REPORT_LIMITS.drilldownRuns) return { runs, exhausted: true };
      }
      if (page * RUN_PAGE_SIZE >= total) return { runs, exhausted: true };
    }
    return { runs, exhausted: false };
  }

  private async failuresOf(project: string, run: RunView, filter: ReportFilterDto): Promise<RunFailures> {
    const rows: Array<Record<string, unknown>> = [];
    const filtered = Boolean(filter.suites?.length || filter.tags?.length);
    let total = 0;
    let partial = false;
    for (const status of filter.statuses ?? DEFAULT_STATUSES) {
      for (let page = 1; ; page++) {
        const result = await this.sources.results(project, run.runId, status, page, RESULT_PAGE_SIZE);
        if (!filtered) {
          // Without suite or tag filters every result of the status matches: the page total counts them.
          if (page === 1) total += result.total;
          for (const item of result.items)
            if (rows.length < REPORT_LIMITS.sectionItems) rows.push(failureRow(item));
          if (rows.length >= REPORT_LIMITS.sectionItems || page * RESULT_PAGE_SIZE >= result.total) break;
        } else {
          for (const item of result.items) {
            if (!resultMatches(item, filter)) continue;
            total += 1;
            if (rows.length < REPORT_LIMITS.sectionItems) rows.push(failureRow(item));
          }
          if (page * RESULT_PAGE_SIZE >= result.total) break;
        }
        if (page === MAX_RESULT_PAGES) {
          partial = filtered;
          break;
        }
      }
    }
    return { project, run, rows, total, partial };
  }
}
