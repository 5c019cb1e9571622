import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, MongooseHealthIndicator } from '@nestjs/terminus';
import { ServiceEnv } from '@testpulse/config';
import { RedisHealthIndicator } from '@testpulse/observability';

/** Kubernetes probes: liveness says the process answers, readiness that Redis and MongoDB do too. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly mongo: MongooseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    @Inject(ServiceEnv) private readonly env: ServiceEnv,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.mongo.pingCheck('mongo', { timeout: 1500 }),
      () => this.redis.isHealthy('redis', this.env.REDIS_URL, 1500),
    ]);
  }
}
