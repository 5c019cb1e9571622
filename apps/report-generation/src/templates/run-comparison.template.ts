import { Injectable } from '@nestjs/common';
import { CatalogueTestView, RunView } from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';
import { ResolvedFilter } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { BuiltReport, ReportBuilder } from './report-builder';
import { RunDiffEntry, compareRuns } from './run-diff';
import { section } from './sections';

/** A diff entry as a row, with the test's names from the catalogue. */
export function diffRow(entry: RunDiffEntry, test: CatalogueTestView | undefined): Record<string, unknown> {
  return {
    testId: entry.testId,
    suite: test?.suite ?? null,
    name: test?.name ?? null,
    ...(test?.file ? { file: test.file } : {}),
    statusA: entry.a?.status ?? null,
    statusB: entry.b?.status ?? null,
    durationMsA: entry.a?.durationMs ?? null,
    durationMsB: entry.b?.durationMs ?? null,
    ...(entry.b?.flaky ? { flakyB: true } : {}),
    ...(entry.a?.fingerprint && entry.b?.fingerprint
      ? { sameError: entry.a.fingerprint === entry.b.fingerprint }
      : {}),
  };
}

const runRow = (role: 'A' | 'B', run: RunView) => ({
  run: role,
  runId: run.runId,
  ...(run.branch ? { branch: run.branch } : {}),
  ...(run.commit ? { commit: run.commit } : {}),
  ...(run.environment ? { environment: run.environment } : {}),
  status: run.status,
  startedAt: run.startedAt,
  ...run.summary,
});

@Injectable()
export class RunComparisonTemplate implements ReportBuilder {
  readonly id = 'run-comparison' as const;

  constructor(private readonly sources: SourcesClient) {}

  async build(resolved: ResolvedFilter): Promise<BuiltReport> {
    const { filter } = resolved;
    const project = resolved.projects[0];
    const ids = { runA: filter.runA as string, runB: filter.runB as string };
    const [runA, runB] = await Promise.all([
      this.sources.getRun(project, ids.runA),
      this.sources.getRun(project, ids.runB),
    ]);
    for (const [field, run] of [
      ['runA', runA],
      ['runB', runB],
    ] as const)
      if (run.status === 'running' || !run.complete)
        throw rpcError('INVALID_ARGUMENT', `filter.${field}: run '${run.runId}' is not finished yet`);
    const [outcomes, catalogue] = await Promise.all([
      this.sources.outcomes(project, [ids.runA, ids.runB]),
      this.sources.catalogue(project),
    ]);
    for (const field of ['runA', 'runB'] as const)
      if (!outcomes.has(ids[field]))
        throw rpcError('INVALID_ARGUMENT', `filter.${field}: run '${ids[field]}' has no stored outcomes yet`);

    const diff = compareRuns(outcomes.get(ids.runA) ?? [], outcomes.get(ids.runB) ?? []);
    const suites = filter.suites;
    const rowsOf = (entries: RunDiffEntry[]) =>
      entries
        .map((entry) => ({ entry, test: catalogue.get(entry.testId) }))
        .filter(({ test }) => !suites?.length || (test !== undefined && suites.includes(test.suite)))
        .sort(
          (x, y) =>
            (x.test?.suite ?? '').localeCompare(y.test?.suite ?? '') ||
            (x.test?.name ?? '').localeCompare(y.test?.name ?? '') ||
            x.entry.testId.localeCompare(y.entry.testId),
        )
        .map(({ entry, test }) => diffRow(entry, test));
    const lists = {
      newFailures: rowsOf(diff.newFailures),
      fixed: rowsOf(diff.fixed),
      stillFailing: rowsOf(diff.stillFailing),
      newTests: rowsOf(diff.newTests),
      removedTests: rowsOf(diff.removedTests),
      otherChanges: rowsOf(diff.otherChanges),
    };
    const newTestsFailing = lists.newTests.filter(
      (row) => row.statusB === 'failed' || row.statusB === 'errored',
    );

    const part = (key: string, title: string, rows: Array<Record<string, unknown>>, notes?: string[]) =>
      section({ key, title, project, figures: { count: rows.length }, rows, notes });
    const sections = [
      section({
        key: 'summary',
        title: `Run ${ids.runB} compared with run ${ids.runA} (${project})`,
        project,
        figures: {
          runA: ids.runA,
          runB: ids.runB,
          testsA: diff.testsA,
          testsB: diff.testsB,
          newFailures: lists.newFailures.length,
          fixed: lists.fixed.length,
          stillFailing: lists.stillFailing.length,
          newTests: lists.newTests.length,
          newTestsFailing: newTestsFailing.length,
          removedTests: lists.removedTests.length,
          otherChanges: lists.otherChanges.length,
          ...(suites?.length ? {} : { unchanged: diff.unchanged }),
        },
        rows: [runRow('A', runA), runRow('B', runB)],
      }),
      part('new-failures', 'New failures: passing in A, failing in B', lists.newFailures),
      part('fixed', 'Fixed: failing in A, passing in B', lists.fixed),
      part('still-failing', 'Still failing in both runs', lists.stillFailing, [
        'sameError: whether both failures have the same fingerprint',
      ]),
      part('new-tests', 'New tests: only in B', lists.newTests),
      part('removed-tests', 'Removed tests: only in A', lists.removedTests),
      part('other-changes', 'Other status changes (e.g. to or from skipped)', lists.otherChanges),
    ];
    const notes = [
      'a test counts once per run, by its worst status; failing means failed or errored',
      'new tests are not counted as new failures: newTestsFailing counts those failing in B',
    ];
    if (suites?.length) notes.push(`only tests of suites ${suites.join(', ')}`);
    return { sections, notes };
  }
}
