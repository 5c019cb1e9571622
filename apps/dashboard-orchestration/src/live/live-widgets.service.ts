import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  DASHBOARD_EVENTS,
  ExecutionEvent,
  WidgetConfigDto,
  WidgetType,
  WidgetUpdateView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { compare } from 'fast-json-patch';
import { RecentDashboards } from '../dashboards/recent-dashboards';
import { Dashboard } from '../dashboards/schemas/dashboard.schema';
import { DashboardOrchestrationEnv } from '../env';
import { LiveRuns } from '../widgets/live-runs';
import { WidgetDataService } from '../widgets/widget-data.service';
import { LatestWidgets, widgetKey } from './latest-widgets';
import { RecomputeScheduler, RecomputeTicket } from './recompute-scheduler';

/** A dashboard stops being live this long after the last gateway said it has viewers. */
const WATCH_TTL_MS = 35_000;

export type RunEventKind = 'started' | 'progress' | 'finished';

interface Target {
  dashboardId: string;
  widgetId: string;
}

interface Recompute {
  type: WidgetType;
  config: WidgetConfigDto;
  targets: Target[];
  cause: WidgetUpdateView['cause'];
}

/**
 * Live widgets: when a run event arrives, the widgets it affects on dashboards that someone is
 * watching are recomputed (once per widget key, however many dashboards show it) and their change
 * is published for the gateways as a JSON patch. A finished run affects every widget of its
 * project; a run that starts or progresses only the recent-runs widgets. Under bursts a widget is
 * recomputed at most every WIDGET_UPDATE_INTERVAL_MS, and always once after the last event.
 */
@Injectable()
export class LiveWidgetsService implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveWidgetsService.name);
  private readonly watched = new Map<string, number>();
  private readonly scheduler: RecomputeScheduler<Recompute>;

  constructor(
    private readonly recentDashboards: RecentDashboards,
    private readonly widgets: WidgetDataService,
    private readonly latest: LatestWidgets,
    private readonly liveRuns: LiveRuns,
    private readonly services: ServiceClient,
    @Inject(DashboardOrchestrationEnv) env: DashboardOrchestrationEnv,
  ) {
    this.scheduler = new RecomputeScheduler(env.WIDGET_UPDATE_INTERVAL_MS, (key, job, ticket) =>
      this.recompute(key, job, ticket),
    );
  }

  watch(dashboardIds: string[], now = Date.now()): void {
    for (const id of dashboardIds) this.watched.set(id, now + WATCH_TTL_MS);
  }

  async runEvent(kind: RunEventKind, event: ExecutionEvent): Promise<void> {
    this.liveRuns.heard(event, kind);
    const jobs = new Map<string, Recompute>();
    for (const dashboard of await this.liveDashboards()) {
      for (const widget of dashboard.widgets) {
        if (!widget.config.projects.includes(event.project)) continue;
        if (kind !== 'finished' && widget.type !== 'recent-runs') continue;
        const key = widgetKey(widget.type, widget.config);
        let job = jobs.get(key);
        if (!job) {
          job = {
            type: widget.type,
            config: widget.config,
            targets: [],
            cause: { project: event.project, runId: event.runId, event: kind },
          };
          jobs.set(key, job);
        }
        job.targets.push({ dashboardId: dashboard._id, widgetId: widget.id });
      }
    }
    for (const [key, job] of jobs) this.scheduler.trigger(key, job);
  }

  onApplicationShutdown(): void {
    this.scheduler.close();
  }

  private async liveDashboards(now = Date.now()): Promise<Dashboard[]> {
    const ids: string[] = [];
    for (const [id, until] of this.watched) {
      if (until < now) this.watched.delete(id);
      else ids.push(id);
    }
    const docs = await Promise.all(ids.map((id) => this.recentDashboards.doc(id)));
    return docs.filter((d): d is Dashboard => d !== null);
  }

  private async recompute(key: string, job: Recompute, ticket: RecomputeTicket): Promise<void> {
    let data: unknown;
    let version: string;
    try {
      // A run's start and end move its project's generation (its progress does not): the widget's
      // entry under the new one is not stored yet.
      ({ data, version } = await this.widgets.read(job.type, job.config, {
        expectMiss: job.cause.event !== 'progress',
      }));
    } catch (error) {
      this.logger.warn(
        { err: (error as Error).message, widget: job.type },
        'live widget could not be recomputed',
      );
      return;
    }
    // A recomputation that started later has published newer data already.
    if (!ticket.claim()) return;
    const next = this.latest.push(key, version, data);
    if (!next) return;
    const previous = next.base;
    const patch = previous ? compare(previous.data as object, data as object) : [];
    const at = new Date().toISOString();
    const updates: WidgetUpdateView[] = job.targets.map((target) => ({
      ...target,
      type: job.type,
      projects: job.config.projects,
      base: previous?.version ?? null,
      version,
      patch,
      ...(previous ? {} : { data }),
      cause: job.cause,
      at,
    }));
    await this.services.emit(DASHBOARD_EVENTS.widgetsUpdated, { updates });
  }
}
