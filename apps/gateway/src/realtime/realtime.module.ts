import { Module } from '@nestjs/common';
import { DashboardEventsHandler } from './dashboard-events.handler';
import { RealtimeGateway } from './realtime.gateway';
import { RunEventsHandler } from './run-events.handler';

@Module({ controllers: [RunEventsHandler, DashboardEventsHandler], providers: [RealtimeGateway] })
export class RealtimeModule {}
