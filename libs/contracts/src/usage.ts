import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { CACHE_NAMESPACES, CacheNamespace } from './cache';
import { PROJECT_KEY_RULE } from './projects';
import { USERNAME_RULE } from './users';

/**
 * What users open, recorded by user-preferences: the gateway counts the analyses and reports each
 * user reads and sends the counts in batches. Cache warming computes the most used first.
 */
export const USAGE_PATTERNS = {
  top: 'user-preferences.usage.top',
} as const;

export const USAGE_EVENTS = {
  recorded: 'usage.recorded',
} as const;

/** A usage kind is the cache namespace of what was read. */
export const USAGE_KINDS = CACHE_NAMESPACES;
export type UsageKind = CacheNamespace;

export const USAGE_LIMITS = { recordsPerEvent: 1000, paramsBytes: 8192 } as const;

export class UsageRecordDto {
  @IsString() @MaxLength(64) user: string;
  @IsIn(USAGE_KINDS) kind: UsageKind;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(PROJECT_KEY_RULE, { each: true })
  projects: string[];

  /** The request as the service was asked (for reports: `{template, filter}`). */
  @IsObject() params: Record<string, unknown>;
  @IsInt() @Min(1) count: number;
  /** Last use, epoch milliseconds. */
  @IsInt() @Min(0) at: number;
}

export class UsageRecordedEvent {
  @IsArray()
  @ArrayMaxSize(USAGE_LIMITS.recordsPerEvent)
  @ValidateNested({ each: true })
  @Type(() => UsageRecordDto)
  records: UsageRecordDto[];
}

export class UsageTopQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project?: string;

  /** Only what this user opened (default: summed over every user). */
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(USERNAME_RULE, { message: 'user must be a username' })
  user?: string;

  @ApiPropertyOptional({ enum: USAGE_KINDS, isArray: true })
  @IsOptional()
  @IsArray()
  @IsIn(USAGE_KINDS, { each: true })
  kinds?: UsageKind[];

  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

/** One thing users open, summed over users. */
export interface UsageTopEntryView {
  kind: UsageKind;
  projects: string[];
  params: Record<string, unknown>;
  uses: number;
  users: number;
  lastAt: string;
}
