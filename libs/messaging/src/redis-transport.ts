import { CustomStrategy } from '@nestjs/microservices';
import { DirectReplyRedisServer } from './direct-reply-redis';

/** Connection options of the Redis transport, from a redis:// or rediss:// URL. */
export function redisConnection(url: string) {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/** A service listening on the Redis transport (answering on each caller's reply channel). */
export function redisTransport(url: string): CustomStrategy {
  return {
    strategy: new DirectReplyRedisServer({
      ...redisConnection(url),
      // Keep reconnecting forever: a Redis restart must not take the fleet down.
      retryAttempts: Number.MAX_SAFE_INTEGER,
      retryDelay: 500,
    }),
  };
}
