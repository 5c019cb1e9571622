import { Controller, Type } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { HEALTH_PATTERNS, ServiceHealthReply, ServiceName } from '@testpulse/contracts';

/** Builds the handler of `<service>.health`, which the gateway's /health asks every service. */
export function healthMessageHandler(service: ServiceName): Type<unknown> {
  @Controller()
  class HealthMessageHandler {
    @MessagePattern(HEALTH_PATTERNS[service])
    health(): ServiceHealthReply {
      return { service, status: 'up', uptimeSeconds: Math.round(process.uptime()), pid: process.pid };
    }
  }
  return HealthMessageHandler;
}
