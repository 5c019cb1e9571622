import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@testpulse/auth';
import { DASHBOARD_EVENTS, WidgetsUpdatedEvent } from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { RealtimeGateway } from './realtime.gateway';

/** Widget updates from dashboard-orchestration (every gateway instance hears each), to the clients. */
@Public()
@SkipThrottle()
@Controller()
export class DashboardEventsHandler {
  constructor(private readonly realtime: RealtimeGateway) {}

  @EventPattern(DASHBOARD_EVENTS.widgetsUpdated)
  widgetsUpdated(@MessageData() event: WidgetsUpdatedEvent): void {
    if (Array.isArray(event?.updates)) this.realtime.widgetUpdates(event.updates);
  }
}
