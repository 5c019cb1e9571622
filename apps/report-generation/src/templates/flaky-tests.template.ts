import { Injectable } from '@nestjs/common';
import { FlakinessClass, FlakyTestView } from '@testpulse/contracts';
import { ResolvedFilter, analyticsWindowNote } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { BuiltReport, ReportBuilder } from './report-builder';
import { PROJECT_CONCURRENCY, mapLimit, section } from './sections';

const row = (test: FlakyTestView) => ({
  testId: test.testId,
  suite: test.suite,
  name: test.name,
  ...(test.file ? { file: test.file } : {}),
  classification: test.classification,
  score: test.score,
  evidence: test.evidence,
});

export function inSuites<T extends { suite: string }>(items: readonly T[], suites?: readonly string[]): T[] {
  return suites?.length ? items.filter((item) => suites.includes(item.suite)) : [...items];
}

@Injectable()
export class FlakyTestsTemplate implements ReportBuilder {
  readonly id = 'flaky-tests' as const;

  constructor(private readonly sources: SourcesClient) {}

  async build(resolved: ResolvedFilter): Promise<BuiltReport> {
    const { filter, analyticsDays } = resolved;
    const views = await mapLimit(resolved.projects, PROJECT_CONCURRENCY, (project) =>
      this.sources.flakiness(project, analyticsDays, filter.branch),
    );
    const sections = views.flatMap((view) => {
      const tests = inSuites(view.tests, filter.suites);
      const counts: Record<FlakinessClass, number> = {
        flaky: 0,
        broken: 0,
        stable: 0,
        'insufficient-data': 0,
      };
      for (const test of tests) counts[test.classification] += 1;
      const of = (classification: FlakinessClass) =>
        tests
          .filter((test) => test.classification === classification)
          .sort((a, b) => b.score - a.score)
          .map(row);
      const figures = {
        runs: view.runs,
        tests: tests.length,
        flaky: counts.flaky,
        broken: counts.broken,
        stable: counts.stable,
        insufficientData: counts['insufficient-data'],
        from: view.from,
        to: view.to,
      };
      return [
        section({
          key: `flaky:${view.project}`,
          title: `Flaky tests of ${view.project}`,
          project: view.project,
          figures,
          rows: of('flaky'),
        }),
        section({
          key: `broken:${view.project}`,
          title: `Consistently failing tests of ${view.project}`,
          project: view.project,
          figures: { broken: counts.broken },
          rows: of('broken'),
        }),
      ];
    });
    const notes = [
      `flakiness covers ${filter.branch ? `branch ${filter.branch}` : 'every branch'}` +
        (filter.suites?.length ? ` and suites ${filter.suites.join(', ')}` : ''),
    ];
    const widened = analyticsWindowNote(resolved);
    if (widened) notes.push(widened);
    return { sections, notes };
  }
}
