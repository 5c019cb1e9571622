import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@testpulse/auth';
import { EXECUTION_EVENTS, ExecutionEvent } from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { RealtimeGateway } from './realtime.gateway';

/**
 * Run events from data-aggregation (every gateway instance hears each one), to the real-time clients.
 * Transport events, not HTTP requests: the HTTP guards and rate limits do not apply.
 */
@Public()
@SkipThrottle()
@Controller()
export class RunEventsHandler {
  constructor(private readonly realtime: RealtimeGateway) {}

  @EventPattern(EXECUTION_EVENTS.started)
  started(@MessageData() event: ExecutionEvent): void {
    this.realtime.runEvent('run.started', event);
  }

  @EventPattern(EXECUTION_EVENTS.resultsAppended)
  progress(@MessageData() event: ExecutionEvent): void {
    this.realtime.runEvent('run.progress', event);
  }

  @EventPattern(EXECUTION_EVENTS.finished)
  finished(@MessageData() event: ExecutionEvent): void {
    this.realtime.runEvent('run.finished', event);
  }
}
