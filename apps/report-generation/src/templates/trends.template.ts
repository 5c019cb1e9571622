import { Injectable } from '@nestjs/common';
import { TrendsView } from '@testpulse/contracts';
import { ReportWindow, ResolvedFilter, analyticsWindowNote } from '../filter/report-filter';
import { SourcesClient } from '../sources/sources.client';
import { BuiltReport, ReportBuilder } from './report-builder';
import { PROJECT_CONCURRENCY, mapLimit, ratio, section } from './sections';

/** Suites charted per project when the filter names suites. */
const MAX_SUITES = 10;

/** A trend's days cut to the window, with their totals. */
export function trendWithin(view: TrendsView, window: ReportWindow) {
  const days = view.days.filter((day) => day.day >= window.from && day.day <= window.to);
  const runs = days.reduce((n, day) => n + day.runs, 0);
  const executed = days.reduce((n, day) => n + day.executed, 0);
  const passed = days.reduce((n, day) => n + day.passed, 0);
  return {
    days,
    runs,
    executed,
    passed,
    failed: days.reduce((n, day) => n + day.failed, 0),
    passRate: ratio(passed, executed),
  };
}

@Injectable()
export class TrendsTemplate implements ReportBuilder {
  readonly id = 'trends' as const;

  constructor(private readonly sources: SourcesClient) {}

  async build(resolved: ResolvedFilter): Promise<BuiltReport> {
    const { filter, window, analyticsDays } = resolved;
    if (!window) throw new Error('trends needs a window');
    const suites = filter.suites?.slice(0, MAX_SUITES);
    const scopes = resolved.projects.flatMap((project): Array<{ project: string; suite?: string }> =>
      suites?.length ? suites.map((suite) => ({ project, suite })) : [{ project, suite: undefined }],
    );
    const views = await mapLimit(scopes, PROJECT_CONCURRENCY, async ({ project, suite }) => ({
      project,
      suite,
      view: await this.sources.trends(project, analyticsDays, suite),
    }));
    const sections = views.map(({ project, suite, view }) => {
      const within = trendWithin(view, window);
      return section({
        key: suite ? `trend:${project}:${suite}` : `trend:${project}`,
        title: `Pass-rate trend of ${suite ? `${project} › ${suite}` : project}`,
        project,
        figures: {
          ...(suite ? { suite } : {}),
          runs: within.runs,
          executed: within.executed,
          passed: within.passed,
          failed: within.failed,
          passRate: within.passRate,
          slopePerDay: view.slope.perDay,
          slopeLow: view.slope.low,
          slopeHigh: view.slope.high,
          slopeR2: view.slope.r2,
          direction: view.slope.direction,
          anomalousDays: within.days.filter((day) => day.anomalous).length,
        },
        rows: within.days.map((day) => ({ ...day })),
      });
    });
    const notes = [
      'the slope (change of the pass rate per day, 95% interval) is computed by analytics-engine',
    ];
    if (filter.suites && filter.suites.length > MAX_SUITES)
      notes.push(`only the first ${MAX_SUITES} suites of the filter are charted`);
    const widened = analyticsWindowNote(resolved);
    if (widened) notes.push(widened);
    return { sections, notes };
  }
}
