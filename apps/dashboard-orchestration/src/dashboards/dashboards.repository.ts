import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataVersions } from '@testpulse/cache';
import type { Role } from '@testpulse/contracts';
import { Model } from 'mongoose';
import { Dashboard, DashboardLink, StoredShareLink } from './schemas/dashboard.schema';

/** The version of a dashboard (DataVersions): bumped after every write of it. */
export const dashboardVersion = (id: string): string => `dashboard:${id}`;

/**
 * Dashboards by `_id` and owner, share links by their token's hash. Every write moves the
 * dashboard's version (DataVersions), so copies other replicas hold are read again.
 */
@Injectable()
export class DashboardsRepository {
  constructor(
    @InjectModel(Dashboard.name) private readonly dashboards: Model<Dashboard>,
    @InjectModel(DashboardLink.name) private readonly links: Model<DashboardLink>,
    private readonly versions: DataVersions,
  ) {}

  private changed(id: string): Promise<void> {
    return this.versions.bump(dashboardVersion(id));
  }

  async find(id: string): Promise<Dashboard | null> {
    const found = await this.dashboards.findById(id).lean<Dashboard>().exec();
    return found ? complete(found) : null;
  }

  /**
   * Inserts the dashboard unless one with its id exists; answers the stored one either way, and
   * whether it is the one given (then not read back: what was written is what is stored).
   */
  async createIfMissing(dashboard: Dashboard): Promise<{ dashboard: Dashboard; created: boolean }> {
    const { _id, ...fields } = dashboard;
    const { upsertedCount } = await this.dashboards
      .updateOne({ _id }, { $setOnInsert: fields }, { upsert: true })
      .exec();
    if (upsertedCount > 0) {
      await this.changed(_id);
      return { dashboard: complete(dashboard), created: true };
    }
    return { dashboard: (await this.find(_id)) as Dashboard, created: false };
  }

  /** Dashboards the user owns, and those shared with them or their role. */
  async visibleTo(username: string, role: Role): Promise<{ owned: Dashboard[]; shared: Dashboard[] }> {
    const [owned, byUser, byRole] = await Promise.all([
      this.dashboards.find({ owner: username }).lean<Dashboard[]>().exec(),
      this.dashboards.find({ 'sharing.users': username }).lean<Dashboard[]>().exec(),
      this.dashboards.find({ 'sharing.roles': role }).lean<Dashboard[]>().exec(),
    ]);
    const shared = new Map<string, Dashboard>();
    for (const d of [...byUser, ...byRole]) if (d.owner !== username) shared.set(d._id, d);
    return { owned: owned.map(complete), shared: [...shared.values()].map(complete) };
  }

  /**
   * Changes a dashboard as it was read (`seen`: its updatedAt then): false when another change came
   * in between (nothing is written; the caller reads again). Widgets and layout change together.
   */
  async update(
    seen: Pick<Dashboard, '_id' | 'updatedAt'>,
    fields: Partial<Pick<Dashboard, 'widgets' | 'layout' | 'sharing'>>,
  ): Promise<Date | undefined> {
    const updatedAt = new Date(Math.max(Date.now(), seen.updatedAt.getTime() + 1));
    const { matchedCount } = await this.dashboards
      .updateOne({ _id: seen._id, updatedAt: seen.updatedAt }, { $set: { ...fields, updatedAt } })
      .exec();
    if (matchedCount !== 1) return undefined;
    await this.changed(seen._id);
    return updatedAt;
  }

  /** The lookup document first: a link listed on the dashboard always resolves. */
  async addLink(dashboardId: string, link: StoredShareLink): Promise<void> {
    await this.links.insertMany([
      {
        _id: link.tokenHash,
        linkId: link.id,
        dashboardId,
        ...(link.expiresAt ? { expiresAt: link.expiresAt } : {}),
      },
    ]);
    await this.dashboards.updateOne({ _id: dashboardId }, { $push: { links: { $each: [link] } } }).exec();
    await this.changed(dashboardId);
  }

  /** Revokes the lookup document first: once this returns, the token opens nothing. */
  async revokeLink(dashboard: Dashboard, linkId: string, at: Date): Promise<void> {
    const link = dashboard.links.find((l) => l.id === linkId);
    if (!link) return;
    await this.links.updateOne({ _id: link.tokenHash }, { $set: { revokedAt: at } }).exec();
    const links = dashboard.links.map((l) => (l.id === linkId ? { ...l, revokedAt: at } : l));
    await this.dashboards.updateOne({ _id: dashboard._id }, { $set: { links } }).exec();
    await this.changed(dashboard._id);
  }

  findLink(tokenHash: string): Promise<DashboardLink | null> {
    return this.links.findById(tokenHash).lean<DashboardLink>().exec();
  }
}

/** Lists an update never set (an empty array may be left out by the store) read as empty. */
function complete(dashboard: Dashboard): Dashboard {
  return {
    ...dashboard,
    widgets: dashboard.widgets ?? [],
    layout: dashboard.layout ?? [],
    sharing: { users: dashboard.sharing?.users ?? [], roles: dashboard.sharing?.roles ?? [] },
    links: dashboard.links ?? [],
  };
}
