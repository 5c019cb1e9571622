import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { GridItemView, Role, WidgetConfigDto, WidgetType } from '@testpulse/contracts';

export interface StoredWidget {
  id: string;
  type: WidgetType;
  title: string;
  config: WidgetConfigDto;
}

export interface StoredShareLink {
  id: string;
  /** SHA-256 of the token (base64url): the token itself is shown once and never stored. */
  tokenHash: string;
  createdAt: Date;
  createdBy: string;
  expiresAt?: Date;
  revokedAt?: Date;
}

/**
 * A dashboard: its widgets, their packed 12-column layout, and who else may open it. A user's
 * home dashboard has a deterministic id (see homeDashboardId), so creating it twice is harmless.
 */
@Schema({ collection: 'dashboards', versionKey: false, minimize: false })
export class Dashboard {
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) name: string;
  @Prop({ required: true }) owner: string;
  @Prop({ type: String }) createdFrom?: Role;
  @Prop({ type: [Object], default: [] }) widgets: StoredWidget[];
  @Prop({ type: [Object], default: [] }) layout: GridItemView[];
  @Prop({ type: Object, default: () => ({ users: [], roles: [] }) }) sharing: {
    users: string[];
    roles: Role[];
  };
  @Prop({ type: [Object], default: [] }) links: StoredShareLink[];
  @Prop({ required: true }) createdAt: Date;
  @Prop({ required: true }) updatedAt: Date;
}

export const DashboardSchema = SchemaFactory.createForClass(Dashboard);
DashboardSchema.index({ owner: 1 });

/** A share link by its token's hash: the one lookup an anonymous reader makes. */
@Schema({ collection: 'dashboard_links', versionKey: false })
export class DashboardLink {
  /** SHA-256 of the token, base64url. */
  @Prop({ type: String, required: true }) _id: string;
  @Prop({ required: true }) linkId: string;
  @Prop({ required: true }) dashboardId: string;
  @Prop() expiresAt?: Date;
  @Prop() revokedAt?: Date;
}

export const DashboardLinkSchema = SchemaFactory.createForClass(DashboardLink);
