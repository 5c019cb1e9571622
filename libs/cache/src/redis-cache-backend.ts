import { Logger } from '@nestjs/common';
import { redisConnection } from '@testpulse/messaging';
import Redis, { RedisOptions } from 'ioredis';
import { CacheBackend } from './cache-backend';

/** Longest a cache command may take before the read goes on without the shared layer. */
const COMMAND_TIMEOUT_MS = 250;

/** Connection options for the cache's Redis from a redis:// or rediss:// URL. */
export function cacheRedisOptions(url: string, fastFail: boolean): RedisOptions {
  return {
    ...redisConnection(url),
    // Reconnect forever, at most every 2 s: the cache recovers by itself when Redis returns.
    retryStrategy: (times) => Math.min(100 * times, 2000),
    lazyConnect: false,
    ...(fastFail
      ? // Commands fail at once while disconnected, and after 250 ms on a hung server, instead of queueing.
        // Commands of concurrent reads issued in one tick go out in one write (auto-pipelining).
        {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout: COMMAND_TIMEOUT_MS,
          enableAutoPipelining: true,
        }
      : { maxRetriesPerRequest: null }),
  };
}

/** The shared layer on Redis: plain string values with a PX expiry, counters as INCR keys. */
export class RedisCacheBackend implements CacheBackend {
  private readonly logger = new Logger('CacheRedis');
  private up = false;

  constructor(readonly client: Redis) {
    client.on('ready', () => {
      if (!this.up) this.logger.log('cache Redis connected');
      this.up = true;
    });
    client.on('error', () => undefined);
    client.on('close', () => {
      if (this.up) this.logger.warn('cache Redis unreachable: reading from the process and computing');
      this.up = false;
    });
  }

  get available(): boolean {
    return this.up && this.client.status === 'ready';
  }

  counters(names: readonly string[]): Promise<Array<string | null>> {
    return this.client.mget(...names);
  }

  bump(counter: string): Promise<number> {
    return this.client.incr(counter);
  }

  async initCounter(counter: string, value: number): Promise<void> {
    await this.client.set(counter, String(value), 'NX');
  }

  get(key: string): Promise<string | null> {
    return this.client.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.client.set(key, value, 'PX', ttlMs);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.client.publish(channel, message);
  }
}
