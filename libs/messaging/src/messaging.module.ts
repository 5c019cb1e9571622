import { DynamicModule, Module } from '@nestjs/common';
import { DirectReplyRedisClient } from './direct-reply-redis';
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
            new DirectReplyRedisClient({
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
