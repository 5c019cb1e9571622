import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PROJECT_KEY_RULE } from './projects';

/** Owned by alert-management: alerts raised by its rules, and their states. */
export const ALERT_PATTERNS = {
  active: 'alert-management.alerts.active',
} as const;

export const ALERT_STATES = ['open', 'acknowledged', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** Alerts not resolved yet (open or acknowledged) of some projects, the most severe and newest first. */
export class ActiveAlertsMessage {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(PROJECT_KEY_RULE, { each: true })
  projects: string[];

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export interface AlertView {
  id: string;
  project: string;
  rule: string;
  severity: AlertSeverity;
  state: AlertState;
  title: string;
  raisedAt: string;
  acknowledgedBy?: string;
  acknowledgedAt?: string;
}

export interface ActiveAlertsView {
  /** Counts over every active alert of the projects. */
  counts: { open: number; acknowledged: number; bySeverity: Record<AlertSeverity, number> };
  alerts: AlertView[];
}
