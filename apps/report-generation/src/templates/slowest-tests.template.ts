import { Injectable } from '@nestjs/common';
import { DurationStatsView } from '@testpulse/contracts';
import { ResolvedFilter, analyticsWindowNote } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { inSuites } from './flaky-tests.template';
import { BuiltReport, ReportBuilder } from './report-builder';
import { PROJECT_CONCURRENCY, mapLimit, section } from './sections';

const stats = (view: DurationStatsView) => ({
  executions: view.executions,
  p50Ms: view.p50Ms,
  p95Ms: view.p95Ms,
  meanMs: view.meanMs,
  maxMs: view.maxMs,
});

@Injectable()
export class SlowestTestsTemplate implements ReportBuilder {
  readonly id = 'slowest-tests' as const;

  constructor(private readonly sources: SourcesClient) {}

  async build(resolved: ResolvedFilter): Promise<BuiltReport> {
    const { filter, analyticsDays } = resolved;
    // One suite is analysed on its own (its overall figures are then the suite's); several are filtered.
    const suite = filter.suites?.length === 1 ? filter.suites[0] : undefined;
    const views = await mapLimit(resolved.projects, PROJECT_CONCURRENCY, (project) =>
      this.sources.metrics(project, analyticsDays, suite),
    );
    const sections = views.flatMap((view) => [
      section({
        key: `slowest:${view.project}`,
        title: `Slowest tests of ${view.project} (by p95)`,
        project: view.project,
        figures: { ...stats(view.overall), from: view.from, to: view.to },
        rows: inSuites(view.slowest, filter.suites).map((test) => ({
          testId: test.testId,
          suite: test.suite,
          name: test.name,
          ...stats(test),
        })),
      }),
      section({
        key: `regressions:${view.project}`,
        title: `Duration regressions of ${view.project}`,
        project: view.project,
        rows: inSuites(view.regressions, filter.suites)
          .sort((a, b) => b.factor - a.factor)
          .map((regression) => ({ ...regression })),
      }),
      section({
        key: `suites:${view.project}`,
        title: `Durations per suite of ${view.project}`,
        project: view.project,
        rows: inSuites(view.suites, filter.suites)
          .sort((a, b) => (b.p95Ms ?? 0) - (a.p95Ms ?? 0))
          .map((entry) => ({ suite: entry.suite, ...stats(entry) })),
      }),
    ]);
    const notes = ['analytics-engine lists at most the 50 slowest tests of a project (by p95)'];
    const widened = analyticsWindowNote(resolved);
    if (widened) notes.push(widened);
    return { sections, notes };
  }
}
