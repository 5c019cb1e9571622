import { DynamicModule, Module } from '@nestjs/common';
import { FastFailRedisClient } from './fast-fail-redis.client';
import { redisConnection } from './redis-transport';
import { MESSAGING_OPTIONS, MessagingOptions, ServiceClient, TRANSPORT_CLIENT } from './service-client';

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: TRANSPORT_CLIENT,
          useFactory: () =>
            new FastFailRedisClient({
              ...redisConnection(options.redisUrl),
              retryAttempts: Number.MAX_SAFE_INTEGER,
              retryDelay: 500,
            }),
        },
        ServiceClient,
      ],
      exports: [ServiceClient],
    };
  }
}
