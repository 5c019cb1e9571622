import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DASHBOARD_ID_RULE } from './preferences';
import { PROJECT_KEY_RULE } from './projects';
import { ROLES, Role } from './roles';
import { USERNAME_RULE } from './users';

/**
 * Dashboards, kept by dashboard-orchestration: widgets with their own configuration, a grid layout,
 * sharing with users and roles, and read-only links. The gateway passes who asks (`viewer`).
 */
export const DASHBOARD_PATTERNS = {
  compose: 'dashboard-orchestration.dashboard.compose',
  list: 'dashboard-orchestration.dashboard.list',
  changeWidgets: 'dashboard-orchestration.dashboard.change-widgets',
  putLayout: 'dashboard-orchestration.dashboard.put-layout',
  share: 'dashboard-orchestration.dashboard.share',
  createLink: 'dashboard-orchestration.dashboard.create-link',
  revokeLink: 'dashboard-orchestration.dashboard.revoke-link',
  composeByLink: 'dashboard-orchestration.dashboard.compose-by-link',
  /** May this viewer watch the dashboard live (and which projects does it show)? */
  watchAccess: 'dashboard-orchestration.dashboard.watch-access',
  /** Compute one widget's data into the cache (cache warming). */
  warmWidget: 'dashboard-orchestration.dashboard.warm-widget',
} as const;

export const DASHBOARD_EVENTS = {
  /** Gateway → dashboard-orchestration: these dashboards have live viewers (repeated while they do). */
  watched: 'dashboard.watched',
  /** dashboard-orchestration → gateways: widgets whose data changed, as JSON patches. */
  widgetsUpdated: 'dashboard.widgets-updated',
} as const;

export const WIDGET_TYPES = [
  'kpi-tiles',
  'pass-rate-trend',
  'duration-trend',
  'flaky-tests',
  'failure-clusters',
  'slowest-tests',
  'recent-runs',
  'active-alerts',
] as const;
export type WidgetType = (typeof WIDGET_TYPES)[number];

export const KPI_NAMES = ['quality-score', 'pass-rate', 'flaky-count', 'open-alerts'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

export const DASHBOARD_LIMITS = {
  widgets: 30,
  projectsPerWidget: 10,
  maxDays: 90,
  defaultDays: 14,
  maxTop: 50,
  defaultTop: 10,
  sharedUsers: 200,
  links: 20,
  maxLinkDays: 365,
  text: 100,
} as const;

export const WIDGET_ID_RULE = /^[A-Za-z0-9_-]{1,40}$/;
/** A share link's token: 32 random bytes, base64url. */
export const SHARE_TOKEN_RULE = /^[A-Za-z0-9_-]{43}$/;
export const LINK_ID_RULE = /^[A-Za-z0-9_-]{1,40}$/;

/** What a widget shows: its projects and window, and for top-N lists how many. */
export class WidgetConfigDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: DASHBOARD_LIMITS.projectsPerWidget })
  @IsArray()
  @ArrayMinSize(1, { message: 'config.projects must name at least one project' })
  @ArrayMaxSize(DASHBOARD_LIMITS.projectsPerWidget)
  @Matches(PROJECT_KEY_RULE, { each: true, message: 'config.projects must hold project keys' })
  projects: string[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: DASHBOARD_LIMITS.maxDays,
    default: DASHBOARD_LIMITS.defaultDays,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DASHBOARD_LIMITS.maxDays)
  days?: number;

  @ApiPropertyOptional({ description: 'flaky tests: only this branch' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  branch?: string;

  @ApiPropertyOptional({ description: 'trends, durations, quality: one suite (default: the project)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  suite?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: DASHBOARD_LIMITS.maxTop, default: DASHBOARD_LIMITS.defaultTop })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DASHBOARD_LIMITS.maxTop)
  limit?: number;

  @ApiPropertyOptional({
    enum: KPI_NAMES,
    isArray: true,
    description: 'kpi-tiles: which tiles (default all)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(KPI_NAMES, { each: true, message: `config.kpis must hold ${KPI_NAMES.join(', ')}` })
  kpis?: KpiName[];
}

export class WidgetInputDto {
  @ApiProperty({ enum: WIDGET_TYPES })
  @IsIn(WIDGET_TYPES, { message: `type must be one of ${WIDGET_TYPES.join(', ')}` })
  type: WidgetType;

  @ApiPropertyOptional({ maxLength: DASHBOARD_LIMITS.text })
  @IsOptional()
  @IsString()
  @MaxLength(DASHBOARD_LIMITS.text)
  title?: string;

  @ApiProperty({ type: WidgetConfigDto })
  @ValidateNested()
  @Type(() => WidgetConfigDto)
  config: WidgetConfigDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 12, description: 'width in grid columns (of 12)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  w?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 12, description: 'height in grid rows' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(12)
  h?: number;
}

export class DashboardSelectorDto {
  @ApiPropertyOptional({
    description:
      "which dashboard (default: reading, the caller's default dashboard; changing, the caller's own home dashboard)",
  })
  @IsOptional()
  @Matches(DASHBOARD_ID_RULE, { message: 'dashboardId must be a dashboard id' })
  dashboardId?: string;
}

/** `POST /dashboard/widgets`: add widgets (placed in the first free cells) and remove others. */
export class ChangeWidgetsDto extends DashboardSelectorDto {
  @ApiPropertyOptional({ type: [WidgetInputDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DASHBOARD_LIMITS.widgets)
  @ValidateNested({ each: true })
  @Type(() => WidgetInputDto)
  add?: WidgetInputDto[];

  @ApiPropertyOptional({ type: [String], description: 'ids of widgets to remove' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(DASHBOARD_LIMITS.widgets)
  @Matches(WIDGET_ID_RULE, { each: true, message: 'remove must hold widget ids' })
  remove?: string[];
}

export class LayoutItemDto {
  @ApiProperty() @Matches(WIDGET_ID_RULE, { message: 'items.id must be a widget id' }) id: string;
  @ApiProperty({ minimum: 0, maximum: 11 }) @IsInt() @Min(0) @Max(11) x: number;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @IsInt() @Min(0) @Max(10000) y: number;
  @ApiProperty({ minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) w: number;
  @ApiProperty({ minimum: 1, maximum: 12 }) @IsInt() @Min(1) @Max(12) h: number;
}

/** `PUT /dashboard/layout`: where the widgets go on the 12-column grid; packed without gaps. */
export class PutLayoutDto extends DashboardSelectorDto {
  @ApiProperty({ type: [LayoutItemDto] })
  @IsArray()
  @ArrayMaxSize(DASHBOARD_LIMITS.widgets)
  @ValidateNested({ each: true })
  @Type(() => LayoutItemDto)
  items: LayoutItemDto[];
}

/** `PUT /dashboard/{id}/sharing`: who else may open the dashboard (read-only). Replaces the lists. */
export class ShareDashboardDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(DASHBOARD_LIMITS.sharedUsers)
  @Matches(USERNAME_RULE, { each: true, message: 'users must hold usernames' })
  users: string[];

  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @IsIn(ROLES, { each: true, message: `roles must hold ${ROLES.join(', ')}` })
  roles: Role[];
}

export class CreateShareLinkDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: DASHBOARD_LIMITS.maxLinkDays,
    description: 'default: never expires',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(DASHBOARD_LIMITS.maxLinkDays)
  expiresInDays?: number;
}

export class DashboardIdDto {
  @ApiProperty() @Matches(DASHBOARD_ID_RULE, { message: 'id must be a dashboard id' }) id: string;
}

export class DashboardLinkParamsDto extends DashboardIdDto {
  @ApiProperty() @Matches(LINK_ID_RULE, { message: 'linkId must be a link id' }) linkId: string;
}

export class ShareTokenDto {
  @ApiProperty() @Matches(SHARE_TOKEN_RULE, { message: 'token must be a share-link token' }) token: string;
}

/** Who asks, as the gateway authenticated them. */
export class DashboardViewerDto {
  @IsString() @Matches(USERNAME_RULE) username: string;
  @IsIn(ROLES) role: Role;
  /** Sees every project without being a member (`projects:all`). */
  @IsBoolean() allProjects: boolean;
}

class ViewerMessage {
  @ValidateNested() @Type(() => DashboardViewerDto) viewer: DashboardViewerDto;
}

export class ComposeDashboardMessage extends ViewerMessage {
  /** Whose dashboard: the default dashboard of this user (created from their role's on first use). */
  @Matches(USERNAME_RULE) owner: string;
  @IsOptional() @Matches(DASHBOARD_ID_RULE) dashboardId?: string;
}

export class ListDashboardsMessage extends ViewerMessage {}

export class ChangeWidgetsMessage extends ViewerMessage {
  @ValidateNested() @Type(() => ChangeWidgetsDto) change: ChangeWidgetsDto;
}

export class PutLayoutMessage extends ViewerMessage {
  @ValidateNested() @Type(() => PutLayoutDto) layout: PutLayoutDto;
}

export class ShareDashboardMessage extends ViewerMessage {
  @Matches(DASHBOARD_ID_RULE) id: string;
  @ValidateNested() @Type(() => ShareDashboardDto) sharing: ShareDashboardDto;
}

export class CreateShareLinkMessage extends ViewerMessage {
  @Matches(DASHBOARD_ID_RULE) id: string;
  @ValidateNested() @Type(() => CreateShareLinkDto) link: CreateShareLinkDto;
}

export class RevokeShareLinkMessage extends ViewerMessage {
  @Matches(DASHBOARD_ID_RULE) id: string;
  @Matches(LINK_ID_RULE) linkId: string;
}

export class ComposeByLinkMessage extends ShareTokenDto {}

export class WatchAccessMessage extends ViewerMessage {
  @Matches(DASHBOARD_ID_RULE) dashboardId: string;
}

export class WarmWidgetMessage {
  @IsIn(WIDGET_TYPES) type: WidgetType;
  @ValidateNested() @Type(() => WidgetConfigDto) config: WidgetConfigDto;
}

export class DashboardsWatchedEvent {
  @IsArray()
  @ArrayMaxSize(10_000)
  @Matches(DASHBOARD_ID_RULE, { each: true })
  dashboardIds: string[];
}

export interface GridItemView {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface WidgetView {
  id: string;
  type: WidgetType;
  title: string;
  config: WidgetConfigDto;
  /** Hash of `data`: a live update applies to the widget whose version is the update's `base`. */
  version?: string;
  data?: unknown;
  /** The widget could not be shown: 403 (a project the viewer does not belong to), 404, 503… */
  error?: { status: number; message: string };
  /** How long computing the data took here (0 when it came from the cache). */
  ms?: number;
}

export interface ShareLinkView {
  id: string;
  createdAt: string;
  createdBy: string;
  expiresAt?: string;
  revokedAt?: string;
  /** Only in the answer that creates the link: the token is not stored, only its hash. */
  token?: string;
}

export interface DashboardSummaryView {
  id: string;
  name: string;
  owner: string;
  /** Why the caller sees it. */
  access: 'owner' | 'shared' | 'admin';
  widgets: number;
  updatedAt: string;
}

export interface DashboardView {
  id: string;
  name: string;
  owner: string;
  /** The role whose default dashboard this was created from. */
  createdFrom?: Role;
  /** Whether the caller may change it (the owner, or an administrator). */
  editable: boolean;
  widgets: WidgetView[];
  /** Packed layouts: `lg` (12 columns) as the owner arranged it, then md 8, sm 4, xs 1. */
  layouts: Record<'lg' | 'md' | 'sm' | 'xs', GridItemView[]>;
  sharing: { users: string[]; roles: Role[]; links: ShareLinkView[] };
  updatedAt: string;
  /** When the widget data was composed. */
  composedAt: string;
}

export interface WatchAccessReply {
  /** Projects the dashboard's widgets read: the viewer belongs to all of them. */
  projects: string[];
}

/** One widget's change: apply `patch` (RFC 6902) to the data of version `base` to get `version`. */
export interface WidgetUpdateView {
  dashboardId: string;
  widgetId: string;
  type: WidgetType;
  /** The projects the widget reads: only viewers who belong to all of them receive it. */
  projects: string[];
  base: string | null;
  version: string;
  patch: Array<{ op: string; path: string; value?: unknown; from?: string }>;
  /** The whole data, sent instead of a patch when there was no known base. */
  data?: unknown;
  /** What triggered it: the run event. */
  cause: { project: string; runId: string; event: string };
  at: string;
}

export interface WidgetsUpdatedEvent {
  updates: WidgetUpdateView[];
}
