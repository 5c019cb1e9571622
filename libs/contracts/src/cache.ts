import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PROJECT_KEY_RULE } from './projects';

/**
 * What the two cache layers hold, by namespace. A namespace is part of every key and of the stats;
 * `POST /cache/invalidate` takes one of these names.
 */
export const CACHE_NAMESPACES = [
  'analytics.flakiness',
  'analytics.quality',
  'analytics.trends',
  'analytics.metrics',
  'analytics.patterns',
  'reports',
  /** Dashboard widgets' data (a widget type with its configuration). */
  'dashboard.widgets',
] as const;
export type CacheNamespace = (typeof CACHE_NAMESPACES)[number];

/**
 * Answers of project access checks (does the project exist, is the user a member), kept by the
 * gateway. Not a namespace users invalidate: user-preferences bumps it on every change of projects,
 * memberships or users.
 */
export const ACCESS_CACHE_NAMESPACE = 'access';

/**
 * The data version (DataVersions of @testpulse/cache) of what user-preferences keeps about people:
 * users, their preferences, projects and memberships. user-preferences bumps it after every change;
 * dashboard-orchestration resolves default dashboards again when it moved.
 */
export const PEOPLE_DATA_VERSION = 'people';

/**
 * The data version of a project's day of stored history (its buckets, run states and index):
 * data-aggregation bumps it when a run of that day is finalised; readers of the day's history keep
 * copies, or share computations, under it.
 */
export const dayDataVersion = (project: string, day: string): string => `day:${project}:${day}`;

/** Owned by cache-management. */
export const CACHE_PATTERNS = {
  invalidate: 'cache-management.cache.invalidate',
  stats: 'cache-management.cache.stats',
  warm: 'cache-management.cache.warm',
} as const;

export class InvalidateCacheDto {
  @ApiPropertyOptional({ description: 'only entries of this project (default: every project)' })
  @IsOptional()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project?: string;

  @ApiPropertyOptional({
    enum: CACHE_NAMESPACES,
    description: 'only entries of this namespace (default: all)',
  })
  @IsOptional()
  @IsIn(CACHE_NAMESPACES, { message: `namespace must be one of ${CACHE_NAMESPACES.join(', ')}` })
  namespace?: CacheNamespace;
}

export interface InvalidateCacheView {
  /** What was made unreachable: a project, a namespace, both, or everything. */
  scope: { project?: string; namespace?: string };
  /** The generation counter bumped, and its new value. */
  counter: string;
  generation: number;
}

export class WarmCacheDto {
  @ApiPropertyOptional({ description: 'only what users open of this project (default: every project)' })
  @IsOptional()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project?: string;

  @ApiPropertyOptional({ description: 'warm the analyses dashboards read (default true)' })
  @IsOptional()
  @IsBoolean()
  dashboards?: boolean;

  @ApiPropertyOptional({ description: 'warm the report bodies users generate most (default true)' })
  @IsOptional()
  @IsBoolean()
  reports?: boolean;

  @ApiPropertyOptional({ description: 'most-used entries warmed (default 20)', minimum: 1, maximum: 200 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export interface WarmedEntryView {
  kind: string;
  projects: string[];
  /** Times users opened it (from user-preferences' usage records). */
  uses: number;
  /** `hit`: already cached; `computed`: computed now; `failed`: computing failed (message in `error`). */
  outcome: 'hit' | 'computed' | 'failed';
  ms: number;
  error?: string;
}

export interface WarmCacheView {
  warmed: WarmedEntryView[];
  ms: number;
}

/** Counters of one layer or namespace. */
export interface CacheCountersView {
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 when nothing was read. */
  hitRatio: number;
}

export interface NamespaceStatsView extends CacheCountersView {
  /** Computations run on a miss (a burst of identical misses computes once). */
  computations: number;
  /** Requests that waited for a computation already running for the same key. */
  coalesced: number;
  /** Computations that failed (never cached). */
  errors: number;
}

/** One process's counters since it started. */
export interface CacheInstanceStatsView {
  instance: string;
  service: string;
  pid: number;
  startedAt: string;
  /** Whether the cache's Redis answered the last call. */
  redisAvailable: boolean;
  local: CacheCountersView & {
    entries: number;
    bytes: number;
    maxEntries: number;
    maxBytes: number;
    evictions: number;
  };
  redis: CacheCountersView & { errors: number };
  namespaces: Record<string, NamespaceStatsView>;
}

export interface CacheStatsView {
  /** Processes that answered; `expected` counts those that sent a heartbeat in the last 15 s. */
  instances: CacheInstanceStatsView[];
  expected: number;
  totals: {
    local: CacheCountersView & { entries: number; bytes: number; evictions: number };
    redis: CacheCountersView & { errors: number };
    /** A read is a hit when either layer had it. */
    overall: CacheCountersView;
    namespaces: Record<string, NamespaceStatsView>;
  };
  redisServer?: { usedMemoryBytes: number; evictedKeys: number; maxmemoryPolicy: string };
}
