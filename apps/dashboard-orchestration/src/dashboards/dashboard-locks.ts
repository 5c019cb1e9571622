import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { RedisLeases } from '@testpulse/messaging';
import { DashboardOrchestrationEnv } from '../env';

const OPTIONS = { leaseMs: 30_000, waitMs: 10_000 };

/**
 * Changes of one dashboard one at a time across every replica: each reads the dashboard, changes it
 * and writes it back, which the store cannot make atomic; two at once would lose one of them.
 */
@Injectable()
export class DashboardLocks implements OnModuleDestroy {
  private readonly leases: RedisLeases;

  constructor(@Inject(DashboardOrchestrationEnv) env: DashboardOrchestrationEnv) {
    this.leases = new RedisLeases(env.REDIS_URL, `testpulse:${env.MONGO_DB_PREFIX}:`);
  }

  withDashboard<T>(key: string, work: () => Promise<T>): Promise<T> {
    return this.leases.withLease(
      `dashboard:${key}`,
      `dashboard '${key}' is being changed by another request: retry`,
      OPTIONS,
      work,
    );
  }

  onModuleDestroy(): void {
    this.leases.disconnect();
  }
}
