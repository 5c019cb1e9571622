import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { AlertSeverity, AlertState } from '@testpulse/contracts';

/**
 * An alert raised by a rule on a project; `state` moves open → acknowledged → resolved. Whatever
 * raises, acknowledges or resolves an alert must then bump the project's data version
 * (`DataVersions.bump(alertsVersion(project))`: AlertsRepository keeps the unresolved alerts under
 * it) and, since dashboards keep their alert widgets in the two-layer cache, the cache generation of
 * namespace `dashboard.widgets` for the project
 * (`TwoLayerCache.invalidate({project, namespace: 'dashboard.widgets'})`).
 */
@Schema({ collection: 'alerts', versionKey: false })
export class Alert {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) project: string;
  @Prop({ required: true }) rule: string;
  @Prop({ type: String, required: true }) severity: AlertSeverity;
  @Prop({ type: String, required: true }) state: AlertState;
  @Prop({ required: true }) title: string;
  @Prop({ required: true }) raisedAt: Date;
  @Prop() acknowledgedBy?: string;
  @Prop() acknowledgedAt?: Date;
  @Prop() resolvedAt?: Date;
}

export const AlertSchema = SchemaFactory.createForClass(Alert);
AlertSchema.index({ project: 1 });
