import { DataVersions } from '@testpulse/cache';
import { PEOPLE_DATA_VERSION } from '@testpulse/contracts';
import { DashboardsRepository, dashboardVersion } from './dashboards.repository';
import { RecentDashboards, ResolvedDefault } from './recent-dashboards';
import { Dashboard } from './schemas/dashboard.schema';

const home = 'home:ana';

function setup() {
  const counters = new Map<string, number>([
    [PEOPLE_DATA_VERSION, 1],
    [dashboardVersion(home), 1],
  ]);
  const versions = {
    current: async (names: string[]) => names.map((name) => counters.get(name) ?? 0),
  } as unknown as DataVersions;
  const stored = new Map<string, Dashboard>();
  const reads = { find: 0 };
  const dashboards = {
    find: async (id: string) => {
      reads.find += 1;
      return stored.get(id) ?? null;
    },
  } as unknown as DashboardsRepository;
  // Resolving the default: the first time creates the home dashboard (a write moves its version).
  const resolves = { n: 0 };
  const resolve = async (): Promise<ResolvedDefault> => {
    resolves.n += 1;
    const dashboard = { _id: home, name: `home #${resolves.n}` } as Dashboard;
    if (stored.has(home)) return { dashboard: stored.get(home) as Dashboard, created: false };
    stored.set(home, dashboard);
    counters.set(dashboardVersion(home), (counters.get(dashboardVersion(home)) ?? 0) + 1);
    return { dashboard, created: true };
  };
  return { recent: new RecentDashboards(dashboards, versions), counters, stored, resolve, resolves, reads };
}

describe('RecentDashboards.defaultOf', () => {
  it('keeps a home dashboard its first read created, under the version the creation moved it to', async () => {
    const { recent, resolve, resolves, reads } = setup();
    expect((await recent.defaultOf('ana', home, resolve)).name).toBe('home #1');
    // Kept as created, under the new version (its creation's bump alone): not read again, and the
    // next loads resolve nothing.
    expect(reads.find).toBe(0);
    expect((await recent.defaultOf('ana', home, resolve)).name).toBe('home #1');
    await recent.defaultOf('ana', home, resolve);
    expect(resolves.n).toBe(1);
  });

  it('reads the created dashboard again when another change of it came in meanwhile', async () => {
    const { recent, counters, stored, resolve, resolves, reads } = setup();
    const racing = async (): Promise<ResolvedDefault> => {
      const resolved = await resolve();
      // Another replica changes it right after its creation (write, then bump).
      stored.set(home, { _id: home, name: 'changed' } as Dashboard);
      counters.set(dashboardVersion(home), (counters.get(dashboardVersion(home)) ?? 0) + 1);
      return resolved;
    };
    expect((await recent.defaultOf('ana', home, racing)).name).toBe('changed');
    expect(reads.find).toBe(1);
    expect((await recent.defaultOf('ana', home, resolve)).name).toBe('changed');
    expect(resolves.n).toBe(1);
  });

  it('resolves again when people or the home dashboard change', async () => {
    const { recent, counters, resolve, resolves } = setup();
    await recent.defaultOf('ana', home, resolve);
    counters.set(PEOPLE_DATA_VERSION, 2);
    await recent.defaultOf('ana', home, resolve);
    expect(resolves.n).toBe(2);
    counters.set(dashboardVersion(home), 10);
    await recent.defaultOf('ana', home, resolve);
    await recent.defaultOf('ana', home, resolve);
    expect(resolves.n).toBe(3);
  });

  it('does not keep the created dashboard under the new version when people changed meanwhile', async () => {
    const { recent, counters, resolves } = setup();
    const resolve = async (): Promise<ResolvedDefault> => {
      resolves.n += 1;
      counters.set(dashboardVersion(home), (counters.get(dashboardVersion(home)) ?? 0) + 1);
      counters.set(PEOPLE_DATA_VERSION, (counters.get(PEOPLE_DATA_VERSION) ?? 0) + 1);
      return { dashboard: { _id: home, name: 'home' } as Dashboard, created: true };
    };
    await recent.defaultOf('ana', home, resolve);
    await recent.defaultOf('ana', home, resolve);
    expect(resolves.n).toBe(2);
  });
});
