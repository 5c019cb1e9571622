import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { rpcError } from '@testpulse/messaging';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataAggregationEnv } from '../env';

/** Deletes the lock only if this holder still owns it. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** A holder that dies keeps the lease this long at most. */
const LEASE_MS = 10 * 60_000;
/** How long a second comer waits for the holder before giving up (the client retries). */
const WAIT_MS = 45_000;
const POLL_MS = 50;

/**
 * Work done by one holder at a time across every replica: a Redis lease (`SET NX PX`, released only
 * by its holder).
 * - A run's finalisation. Rollups stay exact without it (each bucket lists the runs it counted), but
 *   their updates can then be plain `_id` lookups, the only filter FerretDB answers without a scan.
 * - Paging a project's new tests: each test gets exactly one number (ordinal) in its project.
 */
@Injectable()
export class Leases implements OnModuleDestroy {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(@Inject(DataAggregationEnv) env: DataAggregationEnv) {
    this.redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true });
    this.prefix = `testpulse:${env.MONGO_DB_PREFIX}:`;
  }

  withRun<T>(project: string, runId: string, work: () => Promise<T>): Promise<T> {
    return this.withLease(
      `finalize:${project}|${runId}`,
      `run '${runId}' of project '${project}' is being finalised: retry`,
      work,
    );
  }

  withCatalogue<T>(project: string, work: () => Promise<T>): Promise<T> {
    return this.withLease(
      `catalogue:${project}`,
      `new tests of project '${project}' are being stored: retry`,
      work,
    );
  }

  private async withLease<T>(name: string, busy: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.prefix}${name}`;
    const token = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await this.redis.set(key, token, 'PX', LEASE_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw rpcError('UNAVAILABLE', busy);
      await sleep(POLL_MS);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token);
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}
