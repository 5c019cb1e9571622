import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { rpcError } from './rpc-error';

/** Deletes the lock only if this holder still owns it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const POLL_MS = 50;

export interface LeaseOptions {
  /** A holder that dies keeps the lease this long at most. */
  leaseMs: number;
  /** How long a second comer waits for the holder before giving up with UNAVAILABLE (503). */
  waitMs: number;
}

/**
 * Work done by one holder at a time across every replica of a service: a Redis lease (`SET NX PX`,
 * released only by its holder). For read-modify-write sequences the store cannot make atomic
 * (FerretDB runs an update's filter and its write apart, and there are no transactions).
 */
export class RedisLeases {
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, lazyConnect: true });
  }

  async withLease<T>(name: string, busy: string, options: LeaseOptions, work: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}${name}`;
    const token = randomUUID();
    const deadline = Date.now() + options.waitMs;
    while ((await this.redis.set(key, token, 'PX', options.leaseMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw rpcError('UNAVAILABLE', busy);
      await sleep(POLL_MS);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token);
    }
  }

  disconnect(): void {
    this.redis.disconnect();
  }
}
