import { Injectable } from '@nestjs/common';
import { DataVersions } from '@testpulse/cache';
import { PEOPLE_DATA_VERSION } from '@testpulse/contracts';
import { LRUCache } from 'lru-cache';
import { DashboardsRepository, dashboardVersion } from './dashboards.repository';
import { Dashboard } from './schemas/dashboard.schema';

/** How long a read may use a dashboard this instance read before, when versions cannot be read. */
const RECENT_MS = 2000;

/** A default dashboard as resolved; `created`: this resolve stored it (its first read). */
export interface ResolvedDefault {
  dashboard: Dashboard;
  created: boolean;
}

interface Held<T> {
  versions: string;
  value: T;
}

/**
 * Dashboards as this instance read them: they are read on every load and on every run event of a
 * watched dashboard (hundreds a second) and changed rarely. A copy is used while the versions it was
 * read under are current (a change through any replica moves them); while they cannot be read (the
 * cache's Redis is away), for 2 s at most.
 */
@Injectable()
export class RecentDashboards {
  private readonly docs = new LRUCache<string, Held<Dashboard | null>>({ max: 10_000 });
  private readonly defaults = new LRUCache<string, Held<Dashboard>>({ max: 10_000 });
  private readonly recentDocs = new LRUCache<string, { value: Dashboard | null }>({
    max: 10_000,
    ttl: RECENT_MS,
  });
  private readonly recentDefaults = new LRUCache<string, { value: Dashboard }>({
    max: 10_000,
    ttl: RECENT_MS,
  });

  constructor(
    private readonly dashboards: DashboardsRepository,
    private readonly versions: DataVersions,
  ) {}

  async doc(id: string): Promise<Dashboard | null> {
    const versions = await this.versions.current([dashboardVersion(id)]);
    if (!versions) return this.recent(this.recentDocs, id, () => this.dashboards.find(id));
    const held = this.docs.get(id);
    if (held?.versions === versions.join()) return held.value;
    const value = await this.dashboards.find(id);
    this.docs.set(id, { versions: versions.join(), value });
    return value;
  }

  /**
   * The default dashboard of `owner` (`home`: the id of their own), resolved by `resolve` again
   * when people or their home dashboard changed. One their preferences name instead is kept 2 s.
   * A resolve that creates the home dashboard (its first read) moves its version: the dashboard is
   * then kept under the new one, as created when no other change came in between, else read again.
   */
  async defaultOf(owner: string, home: string, resolve: () => Promise<ResolvedDefault>): Promise<Dashboard> {
    const versions = await this.versions.current([PEOPLE_DATA_VERSION, dashboardVersion(home)]);
    if (!versions) return this.recent(this.recentDefaults, owner, async () => (await resolve()).dashboard);
    const held = this.defaults.get(owner);
    if (held?.versions === versions.join()) return held.value;
    const recent = this.recentDefaults.get(owner);
    if (recent) return recent.value;
    const { dashboard: value, created } = await resolve();
    if (value._id !== home) {
      this.recentDefaults.set(owner, { value });
      return value;
    }
    const after = await this.versions.current([PEOPLE_DATA_VERSION, dashboardVersion(home)]);
    if (after && after[0] === versions[0] && after[1] !== versions[1]) {
      // Resolving moved the home dashboard's version (its first read creates it): keep it under the
      // version that follows, or the next load would resolve everything again. People did not
      // change, so the choice of the home dashboard stands. Its creation's bump alone: it is as
      // created; else another change came in between, and it is read again.
      const again = created && after[1] === versions[1] + 1 ? value : await this.dashboards.find(home);
      if (again) {
        this.defaults.set(owner, { versions: after.join(), value: again });
        return again;
      }
    }
    this.defaults.set(owner, { versions: versions.join(), value });
    return value;
  }

  /** After a change made here: reads here see it at once, even without versions. */
  forget(id: string): void {
    this.docs.delete(id);
    this.recentDocs.delete(id);
    this.defaults.clear();
    this.recentDefaults.clear();
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
