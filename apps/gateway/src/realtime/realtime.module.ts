import { Module } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';
import { RunEventsHandler } from './run-events.handler';

@Module({ controllers: [RunEventsHandler], providers: [RealtimeGateway] })
export class RealtimeModule {}
