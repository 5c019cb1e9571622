import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';

/** Readiness check of a Redis server: PING on a dedicated, lazily connected client. */
@Injectable()
export class RedisHealthIndicator {
  private client?: Redis;

  constructor(private readonly indicator: HealthIndicatorService) {}

  async isHealthy(key: string, url: string, timeoutMs = 1000): Promise<HealthIndicatorResult> {
    const check = this.indicator.check(key);
    this.client ??= new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      connectTimeout: timeoutMs,
      retryStrategy: () => null,
    });
    try {
      if (this.client.status !== 'ready') {
        this.client.disconnect();
        await this.client.connect();
      }
      await withTimeout(this.client.ping(), timeoutMs);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  onModuleDestroy(): void {
    this.client?.disconnect();
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error) => (clearTimeout(timer), reject(error)),
    );
  });
}
