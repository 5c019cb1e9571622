import { Role, WidgetInputDto } from '@testpulse/contracts';

type Template = {
  name: string;
  widgets: Array<Omit<WidgetInputDto, 'config'> & { config: Omit<WidgetInputDto['config'], 'projects'> }>;
};

/**
 * The dashboard each role starts with, over the user's projects. A QA engineer works on the
 * runs of the last week: live runs, failure clusters and flaky tests first. A test manager
 * follows quality over the month and the alerts. A development lead watches the main line's
 * stability and speed over two weeks. A product owner reads the headline figures and trends.
 */
const TEMPLATES: Record<Role, Template> = {
  qa_engineer: {
    name: 'QA: this week',
    widgets: [
      {
        type: 'kpi-tiles',
        config: { days: 7, kpis: ['pass-rate', 'flaky-count', 'open-alerts'] },
        w: 12,
        h: 2,
      },
      { type: 'recent-runs', config: { limit: 10 }, w: 6, h: 4 },
      { type: 'failure-clusters', config: { days: 7, limit: 10 }, w: 6, h: 4 },
      { type: 'flaky-tests', config: { days: 7, limit: 10 }, w: 6, h: 4 },
      { type: 'pass-rate-trend', config: { days: 7 }, w: 6, h: 4 },
    ],
  },
  test_manager: {
    name: 'Quality: this month',
    widgets: [
      { type: 'kpi-tiles', config: { days: 30 }, w: 12, h: 2 },
      { type: 'pass-rate-trend', config: { days: 30 }, w: 8, h: 4 },
      { type: 'active-alerts', config: { limit: 10 }, w: 4, h: 4 },
      { type: 'flaky-tests', config: { days: 30, limit: 10 }, w: 6, h: 4 },
      { type: 'failure-clusters', config: { days: 30, limit: 10 }, w: 6, h: 4 },
      { type: 'duration-trend', config: { days: 30 }, w: 12, h: 3 },
    ],
  },
  dev_lead: {
    name: 'Main line: two weeks',
    widgets: [
      {
        type: 'kpi-tiles',
        config: { days: 14, kpis: ['quality-score', 'pass-rate', 'flaky-count'] },
        w: 12,
        h: 2,
      },
      { type: 'flaky-tests', config: { days: 14, branch: 'main', limit: 10 }, w: 6, h: 4 },
      { type: 'slowest-tests', config: { days: 14, limit: 10 }, w: 6, h: 4 },
      { type: 'duration-trend', config: { days: 14 }, w: 6, h: 3 },
      { type: 'recent-runs', config: { limit: 10 }, w: 6, h: 3 },
    ],
  },
  product_owner: {
    name: 'Release readiness',
    widgets: [
      {
        type: 'kpi-tiles',
        config: { days: 30, kpis: ['quality-score', 'pass-rate', 'open-alerts'] },
        w: 12,
        h: 2,
      },
      { type: 'pass-rate-trend', config: { days: 30 }, w: 12, h: 4 },
      { type: 'active-alerts', config: { limit: 5 }, w: 6, h: 3 },
      { type: 'failure-clusters', config: { days: 30, limit: 5 }, w: 6, h: 3 },
    ],
  },
  admin: {
    name: 'Platform overview',
    widgets: [
      { type: 'kpi-tiles', config: { days: 7 }, w: 12, h: 2 },
      { type: 'recent-runs', config: { limit: 10 }, w: 6, h: 4 },
      { type: 'active-alerts', config: { limit: 10 }, w: 6, h: 4 },
      { type: 'pass-rate-trend', config: { days: 14 }, w: 12, h: 4 },
    ],
  },
};

/** The widgets of `role`'s default dashboard, reading `projects`. */
export function roleDashboard(role: Role, projects: string[]): { name: string; widgets: WidgetInputDto[] } {
  const template = TEMPLATES[role];
  return {
    name: template.name,
    widgets: template.widgets.map((widget) => ({
      ...structuredClone(widget),
      config: { ...structuredClone(widget.config), projects: [...projects] },
    })),
  };
}
