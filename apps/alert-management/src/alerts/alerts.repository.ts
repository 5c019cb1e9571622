import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ALERT_SEVERITIES, ActiveAlertsView, AlertSeverity, AlertView } from '@testpulse/contracts';
import { Model } from 'mongoose';
import { Alert } from './schemas/alert.schema';

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, warning: 1, info: 2 };

/** Alerts, read by project and state. */
@Injectable()
export class AlertsRepository {
  constructor(@InjectModel(Alert.name) private readonly alerts: Model<Alert>) {}

  /** Open and acknowledged alerts of `projects`: counts over all, the `limit` most severe and newest listed. */
  async active(projects: string[], limit: number): Promise<ActiveAlertsView> {
    // One equality lookup per project (FerretDB pushes down equality only); resolved ones dropped here.
    const found = (
      await Promise.all(projects.map((project) => this.alerts.find({ project }).lean<Alert[]>().exec()))
    )
      .flat()
      .filter((alert) => alert.state !== 'resolved');
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
