import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every app of the fleet reads. */
export class CommonEnv {
  @IsIn(NODE_ENVS, { message: `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: NodeEnv = 'development';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @Matches(/^rediss?:\/\/\S+$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Address the app's HTTP port binds to. */
  @IsString()
  HOST = '0.0.0.0';

  /**
   * Redis of the shared cache layer and its invalidations (default: REDIS_URL). A Redis of its own
   * may evict (`allkeys-lru`); the transport's and the queues' must not.
   */
  @IsOptional()
  @Matches(/^rediss?:\/\/\S+$/, { message: 'CACHE_REDIS_URL must be a redis:// or rediss:// URL' })
  CACHE_REDIS_URL?: string;

  /** Lifetime of a cache entry (less up to 10 % at random); new runs invalidate entries long before. */
  @IsInt({ message: 'CACHE_TTL_SECONDS must be an integer' })
  @Min(1, { message: 'CACHE_TTL_SECONDS must be at least 1' })
  CACHE_TTL_SECONDS: number = 3600;

  /** Bounds of the in-process cache layer: entries, and megabytes. */
  @IsInt({ message: 'CACHE_LOCAL_MAX_ENTRIES must be an integer' })
  @Min(1, { message: 'CACHE_LOCAL_MAX_ENTRIES must be at least 1' })
  CACHE_LOCAL_MAX_ENTRIES: number = 2000;

  @IsInt({ message: 'CACHE_LOCAL_MAX_MB must be an integer' })
  @Min(1, { message: 'CACHE_LOCAL_MAX_MB must be at least 1' })
  CACHE_LOCAL_MAX_MB: number = 128;

  /** The cache settings of this app, for CacheModule.forRoot. */
  cacheOptions(service: string) {
    return {
      service,
      redisUrl: this.CACHE_REDIS_URL ?? this.REDIS_URL,
      ttlSeconds: this.CACHE_TTL_SECONDS,
      localMaxEntries: this.CACHE_LOCAL_MAX_ENTRIES,
      localMaxBytes: this.CACHE_LOCAL_MAX_MB * 1024 * 1024,
    };
  }
}

/** Variables of the eight services behind the gateway. */
export class ServiceEnv extends CommonEnv {
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL = 'mongodb://127.0.0.1:27017';

  /** Each service uses the database `${MONGO_DB_PREFIX}_${service}`. */
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'MONGO_DB_PREFIX must be 1-32 letters, digits, "_" or "-"' })
  MONGO_DB_PREFIX = 'testpulse';

  /** Port of the small HTTP server with /health/live and /health/ready. */
  @IsInt({ message: 'HEALTH_PORT must be an integer port' })
  @Min(1, { message: 'HEALTH_PORT must be between 1 and 65535' })
  @Max(65535, { message: 'HEALTH_PORT must be between 1 and 65535' })
  HEALTH_PORT: number;

  /** Grace period for in-flight work on SIGTERM before the process exits anyway. */
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS: number = 10_000;
}
