import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PROJECT_KEY_RULE } from './projects';
import { Role } from './roles';
import { UsernameDto } from './users';

/**
 * Each user's preferences, kept by user-preferences: the dashboard opened first, timezone, theme,
 * the filters views start from, and how to be notified. What a user never set comes from the
 * template of their role.
 */
export const PREFERENCE_PATTERNS = {
  get: 'user-preferences.preferences.get',
  put: 'user-preferences.preferences.put',
  templates: 'user-preferences.preferences.templates',
} as const;

export const THEMES = ['light', 'dark', 'system'] as const;
export type Theme = (typeof THEMES)[number];

export const DIGESTS = ['off', 'daily', 'weekly'] as const;
export type Digest = (typeof DIGESTS)[number];

export const NOTIFICATION_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type NotificationSeverity = (typeof NOTIFICATION_SEVERITIES)[number];

/** A dashboard id (dashboards are kept by dashboard-orchestration). */
export const DASHBOARD_ID_RULE = /^[A-Za-z0-9_-]{1,64}$/;

export const PREFERENCE_LIMITS = { projects: 20, text: 300, maxDays: 365 } as const;

/** Where views start: a user can always change them in the view itself. */
export class DefaultFiltersDto {
  @ApiPropertyOptional({ type: [String], maxItems: PREFERENCE_LIMITS.projects })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PREFERENCE_LIMITS.projects)
  @Matches(PROJECT_KEY_RULE, { each: true, message: 'defaultFilters.projects must hold project keys' })
  projects?: string[];

  @ApiPropertyOptional({ maxLength: PREFERENCE_LIMITS.text })
  @IsOptional()
  @IsString()
  @MaxLength(PREFERENCE_LIMITS.text)
  branch?: string;

  @ApiPropertyOptional({ maxLength: PREFERENCE_LIMITS.text })
  @IsOptional()
  @IsString()
  @MaxLength(PREFERENCE_LIMITS.text)
  environment?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: PREFERENCE_LIMITS.maxDays })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(PREFERENCE_LIMITS.maxDays)
  days?: number;
}

export class NotificationSettingsDto {
  @ApiProperty({ description: 'alerts by e-mail' }) @IsBoolean() email: boolean;
  @ApiProperty({ description: 'alerts in the application (live)' }) @IsBoolean() inApp: boolean;
  @ApiProperty({ enum: DIGESTS, description: 'a summary of the period by e-mail' })
  @IsIn(DIGESTS)
  digest: Digest;

  @ApiProperty({ enum: NOTIFICATION_SEVERITIES, description: 'alerts below this severity are not sent' })
  @IsIn(NOTIFICATION_SEVERITIES)
  minSeverity: NotificationSeverity;

  @ApiPropertyOptional({ type: [String], description: 'projects whose alerts are not sent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(PROJECT_KEY_RULE, { each: true, message: 'notifications.mutedProjects must hold project keys' })
  mutedProjects?: string[];
}

/**
 * `PUT /preferences/{userId}`: the whole preferences. A field left out takes the value of the
 * template of the user's role (it is not kept from before).
 */
export class PreferencesInputDto {
  @ApiPropertyOptional({ nullable: true, pattern: DASHBOARD_ID_RULE.source })
  @IsOptional()
  @Matches(DASHBOARD_ID_RULE, { message: 'defaultDashboard must be a dashboard id' })
  defaultDashboard?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Paris', description: 'an IANA time zone' })
  @IsOptional()
  @IsTimeZone({ message: 'timezone must be an IANA time zone such as Europe/Paris or UTC' })
  timezone?: string;

  @ApiPropertyOptional({ enum: THEMES })
  @IsOptional()
  @IsIn(THEMES, { message: `theme must be one of ${THEMES.join(', ')}` })
  theme?: Theme;

  @ApiPropertyOptional({ type: DefaultFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DefaultFiltersDto)
  defaultFilters?: DefaultFiltersDto;

  @ApiPropertyOptional({ type: NotificationSettingsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => NotificationSettingsDto)
  notifications?: NotificationSettingsDto;
}

/** `GET /preferences/{username}/most-used`: what the user opens most. */
export class MostUsedQueryDto {
  @ApiPropertyOptional({ description: 'only what reads this project' })
  @IsOptional()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** Messages to user-preferences. */
export class GetPreferencesMessage extends UsernameDto {}

export class PutPreferencesMessage extends UsernameDto {
  @ValidateNested()
  @Type(() => PreferencesInputDto)
  preferences: PreferencesInputDto;
}

/** Preferences as stored or as a template gives them: every field has a value. */
export interface PreferenceValues {
  defaultDashboard: string | null;
  timezone: string;
  theme: Theme;
  defaultFilters: DefaultFiltersDto;
  notifications: NotificationSettingsDto;
}

export interface PreferencesView extends PreferenceValues {
  username: string;
  role: Role;
  /** When the user last saved them; null while they are the template's. */
  updatedAt: string | null;
}

export interface PreferenceTemplateView {
  role: Role;
  description: string;
  preferences: PreferenceValues;
}
