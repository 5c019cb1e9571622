import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisHealthIndicator } from '@testpulse/observability';
import { FleetHealthService } from './fleet-health.service';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [FleetHealthService, RedisHealthIndicator],
})
export class HealthModule {}
