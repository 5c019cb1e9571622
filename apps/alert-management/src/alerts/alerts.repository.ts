import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DataVersions } from '@testpulse/cache';
import { ALERT_SEVERITIES, ActiveAlertsView, AlertSeverity, AlertView } from '@testpulse/contracts';
import { LRUCache } from 'lru-cache';
import { Model } from 'mongoose';
import { Alert } from './schemas/alert.schema';

/** The data version of a project's alerts: bumped after every write of one (see the Alert schema). */
export const alertsVersion = (project: string): string => `alerts:${project}`;

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Alerts, read by project and state. A project's unresolved alerts are kept in memory under the
 * project's data version, read before them: every dashboard recomputed after a run asks for them,
 * and they change only when an alert is written; concurrent reads under one version share one query.
 * Without the versions (the cache's Redis is away), every read goes to the database.
 */
@Injectable()
export class AlertsRepository {
  private readonly kept = new LRUCache<string, { version: number; alerts: Promise<Alert[]> }>({
    max: 10_000,
  });

  constructor(
    @InjectModel(Alert.name) private readonly alerts: Model<Alert>,
    private readonly versions: DataVersions,
  ) {}

  /** Open and acknowledged alerts of `projects`: counts over all, the `limit` most severe and newest listed. */
  async active(projects: string[], limit: number): Promise<ActiveAlertsView> {
    const found = (await this.unresolved(projects)).flat();
    const bySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, 0])) as Record<
      AlertSeverity,
      number
    >;
    for (const alert of found) bySeverity[alert.severity] += 1;
    found.sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        b.raisedAt.getTime() - a.raisedAt.getTime() ||
        a._id.localeCompare(b._id),
    );
    return {
      counts: {
        open: found.filter((a) => a.state === 'open').length,
        acknowledged: found.filter((a) => a.state === 'acknowledged').length,
        bySeverity,
      },
      alerts: found.slice(0, limit).map(toView),
    };
  }

  /** Each project's open and acknowledged alerts. */
  private async unresolved(projects: string[]): Promise<Alert[][]> {
    const versions = await this.versions.current(projects.map(alertsVersion));
    return Promise.all(
      projects.map((project, i) => {
        const kept = this.kept.get(project);
        if (versions && kept?.version === versions[i]) return kept.alerts;
        const alerts = this.read(project);
        if (versions) {
          const entry = { version: versions[i], alerts };
          this.kept.set(project, entry);
          alerts.catch(() => {
            if (this.kept.get(project) === entry) this.kept.delete(project);
          });
        }
        return alerts;
      }),
    );
  }

  /** One equality lookup per project (FerretDB pushes down equality only); resolved ones dropped here. */
  private async read(project: string): Promise<Alert[]> {
    const alerts = await this.alerts.find({ project }).lean<Alert[]>().exec();
    return alerts.filter((alert) => alert.state !== 'resolved');
  }
}

function toView(alert: Alert): AlertView {
  return {
    id: alert._id,
    project: alert.project,
    rule: alert.rule,
    severity: alert.severity,
    state: alert.state,
    title: alert.title,
    raisedAt: alert.raisedAt.toISOString(),
    ...(alert.acknowledgedBy ? { acknowledgedBy: alert.acknowledgedBy } : {}),
    ...(alert.acknowledgedAt ? { acknowledgedAt: alert.acknowledgedAt.toISOString() } : {}),
  };
}
