import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@testpulse/auth';
import { RedisHealthIndicator } from '@testpulse/observability';
import type { Response } from 'express';
import { GatewayEnv } from '../env';
import { FleetHealth, FleetHealthService } from './fleet-health.service';

@ApiTags('health')
@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly fleet: FleetHealthService,
    private readonly health: HealthCheckService,
    private readonly redis: RedisHealthIndicator,
    @Inject(GatewayEnv) private readonly env: GatewayEnv,
  ) {}

  /** The whole fleet: 200 when all eight services answer, 503 naming the ones that do not. */
  @Get('health')
  @ApiOkResponse({ description: 'All services up' })
  @ApiServiceUnavailableResponse({ description: 'At least one service down' })
  async fleetHealth(@Res({ passthrough: true }) res: Response): Promise<FleetHealth> {
    const report = await this.fleet.check();
    res.status(report.status === 'ok' ? 200 : 503);
    return report;
  }

  /** Kubernetes liveness of this gateway process (outside /api/v1). */
  @Get('/health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Kubernetes readiness of this gateway: its Redis transport answers. */
  @Get('/health/ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.redis.isHealthy('redis', this.env.REDIS_URL, 1500)]);
  }
}
