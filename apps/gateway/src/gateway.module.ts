import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AuthModule } from '@testpulse/auth';
import { CacheModule } from '@testpulse/cache';
import { MessagingModule } from '@testpulse/messaging';
import { loggingModule } from '@testpulse/observability';
import { AuditController } from './audit/audit.controller';
import { CacheController } from './cache/cache.controller';
import { DashboardsController } from './dashboards/dashboards.controller';
import { AuthHttpModule } from './auth/auth-http.module';
import { GatewayEnv } from './env';
import { AnalyticsHttpModule } from './analytics/analytics-http.module';
import { ReportsHttpModule } from './reports/reports-http.module';
import { ExecutionsModule } from './executions/executions.module';
import { HealthModule } from './health/health.module';
import { AuditMiddleware } from './http/audit.middleware';
import { PreferencesController } from './preferences/preferences.controller';
import { RealtimeModule } from './realtime/realtime.module';
import { HttpErrorFilter } from './http/http-error.filter';
import { rateLimitModule } from './http/rate-limits';
import { ProjectsController } from './projects/projects.controller';
import { UsageModule } from './usage/usage.module';
import { UsersController } from './users/users.controller';

@Module({})
class GatewayEnvModule {
  static register(env: GatewayEnv): DynamicModule {
    return {
      module: GatewayEnvModule,
      global: true,
      providers: [{ provide: GatewayEnv, useValue: env }],
      exports: [GatewayEnv],
    };
  }
}

@Module({})
export class GatewayModule {
  static register(env: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        GatewayEnvModule.register(env),
        loggingModule({ service: 'gateway', level: env.LOG_LEVEL, quietPaths: ['/health/'] }),
        MessagingModule.forRoot({ redisUrl: env.REDIS_URL, timeoutMs: env.RPC_TIMEOUT_MS }),
        CacheModule.forRoot(env.cacheOptions('gateway')),
        UsageModule,
        rateLimitModule(),
        AuthModule.forRoot({
          secret: env.jwtSecret,
          accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS,
          refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS,
        }),
        AuthHttpModule,
        HealthModule,
        ExecutionsModule,
        AnalyticsHttpModule,
        ReportsHttpModule,
        RealtimeModule,
      ],
      controllers: [
        UsersController,
        ProjectsController,
        AuditController,
        CacheController,
        PreferencesController,
        DashboardsController,
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        AuditMiddleware,
      ],
    };
  }
}
