import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DashboardsRepository } from './dashboards.repository';
import { Dashboard } from './schemas/dashboard.schema';

/** How long a read may use a dashboard this instance read before. */
const RECENT_MS = 2000;

/**
 * Dashboards as this instance read them in the last 2 s: they are read on every load and on every
 * run event of a watched dashboard (hundreds a second) and changed rarely. A change made here is
 * seen at once (`forget`); one made through another replica within 2 s. Changes read afresh.
 */
@Injectable()
export class RecentDashboards {
  private readonly docs = new LRUCache<string, { value: Dashboard | null }>({ max: 10_000, ttl: RECENT_MS });
  private readonly defaults = new LRUCache<string, { value: Dashboard }>({ max: 10_000, ttl: RECENT_MS });

  constructor(private readonly dashboards: DashboardsRepository) {}

  doc(id: string): Promise<Dashboard | null> {
    return this.recent(this.docs, id, () => this.dashboards.find(id));
  }

  /** The default dashboard of `owner`, resolved by `resolve` at most every 2 s. */
  defaultOf(owner: string, resolve: () => Promise<Dashboard>): Promise<Dashboard> {
    return this.recent(this.defaults, owner, resolve);
  }

  /** After a change of dashboard `id`: reads here see it at once. */
  forget(id: string): void {
    this.docs.delete(id);
    this.defaults.clear();
  }

  private async recent<T extends Dashboard | null>(
    memo: LRUCache<string, { value: T }>,
    key: string,
    read: () => Promise<T>,
  ): Promise<T> {
    const held = memo.get(key);
    if (held) return held.value;
    const value = await read();
    memo.set(key, { value });
    return value;
  }
}
