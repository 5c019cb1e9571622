import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { GatewayEnv } from '../env';

const AUTH_RATE_LIMITED = 'gateway:auth-rate-limited';
const reflector = new Reflector();

/** Login and refresh: a tighter per-address limit against password guessing. */
export const AuthRateLimited = () => SetMetadata(AUTH_RATE_LIMITED, true);

/**
 * Per client address, counted in Redis so that every gateway replica shares the budget:
 * a general limit on all routes and a tighter one on authentication routes.
 */
export function rateLimitModule() {
  return ThrottlerModule.forRootAsync({
    inject: [GatewayEnv],
    useFactory: (env: GatewayEnv) => ({
      throttlers: [
        { name: 'default', ttl: 60_000, limit: env.RATE_LIMIT_PER_MINUTE },
        {
          name: 'auth',
          ttl: 60_000,
          limit: env.AUTH_RATE_LIMIT_PER_MINUTE,
          skipIf: (context: ExecutionContext) =>
            !reflector.get<boolean>(AUTH_RATE_LIMITED, context.getHandler()),
        },
      ],
      storage: new ThrottlerStorageRedisService(env.REDIS_URL, { keyPrefix: 'gateway:throttle:' }),
      errorMessage: 'too many requests: slow down and retry later',
    }),
  });
}
