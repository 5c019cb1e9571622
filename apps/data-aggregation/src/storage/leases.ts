import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RedisLeases } from '@testpulse/messaging';
import { DataAggregationEnv } from '../env';

/** A holder that dies keeps the lease this long at most; a second comer waits this long (the client retries). */
const OPTIONS = { leaseMs: 10 * 60_000, waitMs: 45_000 };

/**
 * Work done by one holder at a time across every replica (a Redis lease, see RedisLeases):
 * - A run's finalisation. Rollups stay exact without it (each bucket lists the runs it counted), but
 *   their updates can then be plain `_id` lookups, the only filter FerretDB answers without a scan.
 * - Paging a project's new tests: each test gets exactly one number (ordinal) in its project.
 */
@Injectable()
export class Leases implements OnModuleDestroy {
  private readonly leases: RedisLeases;

  constructor(@Inject(DataAggregationEnv) env: DataAggregationEnv) {
    this.leases = new RedisLeases(env.REDIS_URL, `testpulse:${env.MONGO_DB_PREFIX}:`);
  }

  withRun<T>(project: string, runId: string, work: () => Promise<T>): Promise<T> {
    return this.leases.withLease(
      `finalize:${project}|${runId}`,
      `run '${runId}' of project '${project}' is being finalised: retry`,
      OPTIONS,
      work,
    );
  }

  withCatalogue<T>(project: string, work: () => Promise<T>): Promise<T> {
    return this.leases.withLease(
      `catalogue:${project}`,
      `new tests of project '${project}' are being stored: retry`,
      OPTIONS,
      work,
    );
  }

  onModuleDestroy(): void {
    this.leases.disconnect();
  }
}
