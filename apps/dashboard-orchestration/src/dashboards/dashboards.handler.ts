import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  ChangeWidgetsMessage,
  ComposeByLinkMessage,
  ComposeDashboardMessage,
  CreateShareLinkMessage,
  DASHBOARD_EVENTS,
  DASHBOARD_PATTERNS,
  DashboardSummaryView,
  DashboardView,
  DashboardsWatchedEvent,
  EXECUTION_EVENTS,
  ExecutionEvent,
  ListDashboardsMessage,
  PutLayoutMessage,
  RevokeShareLinkMessage,
  ShareDashboardMessage,
  ShareLinkView,
  WarmWidgetMessage,
  WatchAccessMessage,
  WatchAccessReply,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { LiveWidgetsService } from '../live/live-widgets.service';
import { WidgetDataService } from '../widgets/widget-data.service';
import { DashboardsService } from './dashboards.service';

@Controller()
export class DashboardsHandler {
  constructor(
    private readonly dashboards: DashboardsService,
    private readonly live: LiveWidgetsService,
    private readonly widgets: WidgetDataService,
  ) {}

  @MessagePattern(DASHBOARD_PATTERNS.compose)
  compose(@MessageData() message: ComposeDashboardMessage): Promise<DashboardView> {
    return this.dashboards.compose(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.list)
  list(@MessageData() message: ListDashboardsMessage): Promise<DashboardSummaryView[]> {
    return this.dashboards.list(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.changeWidgets)
  changeWidgets(@MessageData() message: ChangeWidgetsMessage): Promise<DashboardView> {
    return this.dashboards.changeWidgets(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.putLayout)
  putLayout(@MessageData() message: PutLayoutMessage): Promise<DashboardView> {
    return this.dashboards.putLayout(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.share)
  share(@MessageData() message: ShareDashboardMessage): Promise<DashboardView> {
    return this.dashboards.share(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.createLink)
  createLink(@MessageData() message: CreateShareLinkMessage): Promise<ShareLinkView> {
    return this.dashboards.createLink(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.revokeLink)
  revokeLink(@MessageData() message: RevokeShareLinkMessage): Promise<ShareLinkView> {
    return this.dashboards.revokeLink(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.composeByLink)
  composeByLink(@MessageData() message: ComposeByLinkMessage): Promise<DashboardView> {
    return this.dashboards.composeByLink(message);
  }

  @MessagePattern(DASHBOARD_PATTERNS.watchAccess)
  async watchAccess(@MessageData() message: WatchAccessMessage): Promise<WatchAccessReply> {
    const reply = await this.dashboards.watchAccess(message);
    this.live.watch([message.dashboardId]);
    return reply;
  }

  @MessagePattern(DASHBOARD_PATTERNS.warmWidget)
  async warmWidget(@MessageData() message: WarmWidgetMessage): Promise<{ cached: boolean }> {
    const { cached } = await this.widgets.read(message.type, message.config);
    return { cached };
  }

  @EventPattern(DASHBOARD_EVENTS.watched)
  watched(@MessageData() event: DashboardsWatchedEvent): void {
    this.live.watch(event.dashboardIds);
  }

  @EventPattern(EXECUTION_EVENTS.started)
  started(@MessageData() event: ExecutionEvent): Promise<void> {
    return this.live.runEvent('started', event);
  }

  @EventPattern(EXECUTION_EVENTS.resultsAppended)
  progress(@MessageData() event: ExecutionEvent): Promise<void> {
    return this.live.runEvent('progress', event);
  }

  @EventPattern(EXECUTION_EVENTS.finished)
  finished(@MessageData() event: ExecutionEvent): Promise<void> {
    return this.live.runEvent('finished', event);
  }
}
