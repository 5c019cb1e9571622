import {
  ANALYTICS_LIMITS,
  REPORT_FILTER_FIELDS,
  ReportFilterDto,
  ReportTemplateView,
} from '@testpulse/contracts';
import { rpcError } from '@testpulse/messaging';

const DAY_MS = 24 * 3600 * 1000;

export interface ReportWindow {
  from: string;
  to: string;
}

/** A filter checked against its template, with the window it resolves to. */
export interface ResolvedFilter {
  filter: ReportFilterDto;
  /** The projects, each once, in the order given. */
  projects: string[];
  /** The days the report covers; absent when the template reads no window (run comparison). */
  window?: ReportWindow;
  /**
   * analytics-engine analyses the last `analyticsDays` UTC days up to today: the smallest such window
   * that holds `window.from`.
   */
  analyticsDays: number;
  /** Today (UTC), the end of every analytics window. */
  today: string;
}

export const dayOf = (time: number): string => new Date(time).toISOString().slice(0, 10);
const timeOf = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** Days from `from` to `to`, both included. */
export function daySpan(from: string, to: string): number {
  return Math.round((timeOf(to) - timeOf(from)) / DAY_MS) + 1;
}

export function addDays(day: string, days: number): string {
  return dayOf(timeOf(day) + days * DAY_MS);
}

const invalid = (message: string) => rpcError('INVALID_ARGUMENT', message);

function isRealDay(day: string): boolean {
  const time = timeOf(day);
  return !Number.isNaN(time) && dayOf(time) === day;
}

/**
 * Checks what class-validator cannot (fields that depend on each other and on the template) and
 * resolves the window: `from`/`to`, or the last `days` days (default 30) up to today. Every refusal
 * is INVALID_ARGUMENT naming the field.
 */
export function resolveFilter(
  template: ReportTemplateView,
  filter: ReportFilterDto,
  now: Date = new Date(),
): ResolvedFilter {
  for (const field of REPORT_FILTER_FIELDS) {
    if (filter[field] === undefined) continue;
    if (!template.filters.includes(field))
      throw invalid(
        `filter.${field} does not apply to template '${template.id}' (it reads ${template.filters.join(', ')})`,
      );
  }
  for (const field of template.required) {
    if (filter[field] === undefined)
      throw invalid(`filter.${field} is required by template '${template.id}'`);
  }
  const projects = [...new Set(filter.projects)];
  if (!template.multiProject && projects.length !== 1)
    throw invalid(`filter.projects: template '${template.id}' covers exactly one project`);
  if (filter.runA !== undefined && filter.runA === filter.runB)
    throw invalid('filter.runB must be another run than filter.runA');

  const today = dayOf(now.getTime());
  const readsWindow = template.filters.includes('from');
  if (!readsWindow) return { filter, projects, analyticsDays: ANALYTICS_LIMITS.defaultDays, today };

  for (const field of ['from', 'to'] as const) {
    const day = filter[field];
    if (day !== undefined && !isRealDay(day)) throw invalid(`filter.${field} is not a calendar day: ${day}`);
  }
  if (filter.days !== undefined && (filter.from !== undefined || filter.to !== undefined))
    throw invalid('filter.days cannot be combined with filter.from or filter.to');
  const to = filter.to ?? today;
  const from = filter.from ?? addDays(to, -((filter.days ?? ANALYTICS_LIMITS.defaultDays) - 1));
  if (from > today) throw invalid(`filter.from (${from}) is in the future (today is ${today})`);
  if (from > to) throw invalid(`filter.from (${from}) is after filter.to (${to})`);
  const analyticsDays = daySpan(from, today);
  if (analyticsDays > ANALYTICS_LIMITS.maxDays)
    throw invalid(
      `filter.from (${from}) is ${analyticsDays} days back; reports reach back at most ${ANALYTICS_LIMITS.maxDays} days`,
    );
  return { filter, projects, window: { from, to: to > today ? today : to }, analyticsDays, today };
}

/**
 * Why analytics figures may cover more than the window: analytics-engine computes over the last days
 * up to today, so a window ending before today is widened for those figures.
 */
export function analyticsWindowNote(resolved: ResolvedFilter): string | undefined {
  if (!resolved.window || resolved.window.to === resolved.today) return undefined;
  const from = addDays(resolved.today, -(resolved.analyticsDays - 1));
  return (
    `analytics-engine computes over the last days up to today: its aggregate figures cover ${from}..${resolved.today}; ` +
    `per-day figures are cut to ${resolved.window.from}..${resolved.window.to}`
  );
}
