import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
} from '@nestjs/common';
import Redis from 'ioredis';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { CacheBus } from './cache-bus';
import { CacheStats } from './cache-stats';
import { CachedCalls } from './cached-calls';
import { DataVersions } from './data-versions';
import { LocalLayer } from './local-layer';
import { RedisCacheBackend, cacheRedisOptions } from './redis-cache-backend';
import { TwoLayerCache } from './two-layer-cache';

export interface CacheModuleOptions {
  /** The app, named in stats. */
  service: string;
  /** The cache's Redis (may be the transport's, or one of its own with an eviction policy). */
  redisUrl: string;
  ttlSeconds: number;
  localMaxEntries: number;
  localMaxBytes: number;
}

const CACHE_OPTIONS = Symbol('CACHE_OPTIONS');
const CACHE_COMMANDS = Symbol('CACHE_COMMANDS');
const CACHE_SUBSCRIBER = Symbol('CACHE_SUBSCRIBER');
/** Part of the TTL taken off at random. */
const TTL_JITTER = 0.1;

/** Who this process is, in stats and invalidation messages. */
@Injectable()
export class CacheIdentity {
  readonly instance = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly startedAt = new Date();
  constructor(@Inject(CACHE_OPTIONS) readonly options: CacheModuleOptions) {}
  get service(): string {
    return this.options.service;
  }
}

@Injectable()
class CacheLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly bus: CacheBus,
    private readonly cache: TwoLayerCache,
    private readonly versions: DataVersions,
    @Inject(CACHE_COMMANDS) private readonly commands: Redis,
    @Inject(CACHE_SUBSCRIBER) private readonly subscriber: Redis,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.bus.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.cache.close();
    this.versions.close();
    await this.bus.stop();
    this.subscriber.disconnect();
    this.commands.disconnect();
  }
}

/** The two-layer cache for one app: TwoLayerCache, CachedCalls, the CacheBus (for stats) and DataVersions. */
@Module({})
export class CacheModule {
  static forRoot(options: CacheModuleOptions): DynamicModule {
    return {
      module: CacheModule,
      global: true,
      providers: [
        { provide: CACHE_OPTIONS, useValue: options },
        CacheIdentity,
        { provide: CACHE_COMMANDS, useFactory: () => new Redis(cacheRedisOptions(options.redisUrl, true)) },
        {
          provide: CACHE_SUBSCRIBER,
          useFactory: () => new Redis(cacheRedisOptions(options.redisUrl, false)),
        },
        { provide: CacheStats, useFactory: () => new CacheStats() },
        {
          provide: TwoLayerCache,
          inject: [CACHE_COMMANDS, CacheStats, CacheIdentity],
          useFactory: (commands: Redis, stats: CacheStats, identity: CacheIdentity) =>
            new TwoLayerCache(
              new RedisCacheBackend(commands),
              new LocalLayer({ maxEntries: options.localMaxEntries, maxBytes: options.localMaxBytes }),
              stats,
              { ttlSeconds: options.ttlSeconds, jitter: TTL_JITTER, instance: identity.instance },
            ),
        },
        {
          provide: CacheBus,
          inject: [CACHE_COMMANDS, CACHE_SUBSCRIBER, TwoLayerCache, CacheStats, CacheIdentity],
          useFactory: (
            commands: Redis,
            subscriber: Redis,
            cache: TwoLayerCache,
            stats: CacheStats,
            identity: CacheIdentity,
          ) =>
            new CacheBus(commands, subscriber, cache, identity.instance, () =>
              stats.snapshot(identity, cache.local, cache.redisAvailable),
            ),
        },
        {
          provide: DataVersions,
          inject: [CACHE_COMMANDS],
          useFactory: (commands: Redis) => new DataVersions(new RedisCacheBackend(commands)),
        },
        CachedCalls,
        CacheLifecycle,
      ],
      exports: [TwoLayerCache, CachedCalls, CacheBus, CacheStats, CacheIdentity, DataVersions],
    };
  }
}
