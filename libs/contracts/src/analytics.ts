import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PROJECT_KEY_RULE } from './projects';

/** What analytics-engine answers (the gateway exposes them under /analytics and /aggregation). */
export const ANALYTICS_PATTERNS = {
  flakiness: 'analytics-engine.flakiness',
  qualityScore: 'analytics-engine.quality-score',
  trends: 'analytics-engine.trends',
  metrics: 'analytics-engine.metrics',
  patterns: 'analytics-engine.patterns',
} as const;

export const ANALYTICS_LIMITS = { maxDays: 365, defaultDays: 30, maxListed: 1_000_000, maxExamples: 20 };

/** The window every analysis reads: the last `days` UTC days up to today (default 30). */
export class AnalysisWindowDto {
  @ApiProperty()
  @IsString()
  @Matches(PROJECT_KEY_RULE, { message: 'project must be a project key' })
  project: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: ANALYTICS_LIMITS.maxDays,
    default: ANALYTICS_LIMITS.defaultDays,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(ANALYTICS_LIMITS.maxDays)
  days?: number;
}

/** POST /analytics/flakiness */
export class FlakinessRequestDto extends AnalysisWindowDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(300) branch?: string;
  @ApiPropertyOptional({
    description: 'tests listed, those needing attention first (default: every test); counts cover all',
    minimum: 0,
    maximum: ANALYTICS_LIMITS.maxListed,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(ANALYTICS_LIMITS.maxListed)
  limit?: number;
}

/** POST /analytics/patterns */
export class PatternsRequestDto extends AnalysisWindowDto {
  @ApiPropertyOptional({
    description: 'largest clusters that get an example failure (message and stack)',
    minimum: 0,
    maximum: ANALYTICS_LIMITS.maxExamples,
    default: ANALYTICS_LIMITS.maxExamples,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(ANALYTICS_LIMITS.maxExamples)
  examples?: number;

  @ApiPropertyOptional({
    description: 'clusters listed, the largest first (default: every cluster); counts cover all',
    minimum: 0,
    maximum: ANALYTICS_LIMITS.maxListed,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(ANALYTICS_LIMITS.maxListed)
  limit?: number;
}

/** GET /analytics/quality-score, GET /aggregation/trends, GET /aggregation/metrics */
export class SuiteWindowQueryDto extends AnalysisWindowDto {
  @ApiPropertyOptional({ description: 'one suite of the project (default: the whole project)' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  suite?: string;
}

/**
 * A metrics request between services. `perSuite: false` leaves out the per-suite statistics (the
 * suites' daily rollups are one document per suite and day): `suites` is then empty and `overall`
 * comes from the project's daily rollups. Not offered by the HTTP API.
 */
export class MetricsRequestDto extends SuiteWindowQueryDto {
  @IsOptional()
  @IsBoolean()
  perSuite?: boolean;
}

export type FlakinessClass = 'flaky' | 'broken' | 'stable' | 'insufficient-data';

export interface FlakyTestView {
  testId: string;
  suite: string;
  name: string;
  file?: string;
  classification: FlakinessClass;
  /** 0..1: how flaky the evidence says the test is. */
  score: number;
  /** The numbers behind the classification (runs, failures, retry passes, flips...). */
  evidence: Record<string, number | string | boolean | null>;
}

export interface FlakinessView {
  project: string;
  branch?: string;
  from: string;
  to: string;
  runs: number;
  counts: Record<FlakinessClass, number>;
  /** Every test seen in the window, the most flaky first. */
  tests: FlakyTestView[];
}

export interface WilsonView {
  rate: number;
  low: number;
  high: number;
}

export interface TrendDayView {
  day: string;
  runs: number;
  executed: number;
  passed: number;
  failed: number;
  passRate: WilsonView;
  failureRate: number;
  /** Control-chart limits of the failure rate and whether the day is above them. */
  upperLimit: number;
  anomalous: boolean;
  p50Ms?: number;
  p95Ms?: number;
}

export interface SlopeView {
  /** Change of the pass rate per day, with its 95% confidence interval. */
  perDay: number;
  low: number;
  high: number;
  r2: number;
  direction: 'improving' | 'worsening' | 'flat';
}

/** The window's finished runs added up (from the daily buckets: durations of executed tests). */
export interface WindowTotalsView {
  runs: number;
  tests: number;
  passed: number;
  failed: number;
  errored: number;
  skipped: number;
  flaky: number;
  durationMs: number;
}

export interface TrendsView {
  project: string;
  suite?: string;
  from: string;
  to: string;
  totals: WindowTotalsView;
  days: TrendDayView[];
  slope: SlopeView;
  anomalies: Array<{ day: string; failureRate: number; upperLimit: number; centre: number }>;
}

export interface DurationStatsView {
  p50Ms?: number;
  p95Ms?: number;
  meanMs?: number;
  maxMs?: number;
  executions: number;
}

export interface DurationRegressionView {
  testId: string;
  suite: string;
  name: string;
  runId: string;
  at: string;
  latestMs: number;
  meanMs: number;
  previousMaxMs: number;
  factor: number;
}

export interface MetricsView {
  project: string;
  suite?: string;
  from: string;
  to: string;
  overall: DurationStatsView;
  suites: Array<{ suite: string } & DurationStatsView>;
  /** The slowest tests by p95, at most 50. */
  slowest: Array<{ testId: string; suite: string; name: string } & DurationStatsView>;
  regressions: DurationRegressionView[];
}

export interface QualityComponentView {
  name: string;
  /** The measured value (e.g. pass rate 0.97). */
  value: number;
  /** Its weight in the score (the weights add up to 100). */
  weight: number;
  /** Points earned: weight × the value mapped to 0..1. */
  points: number;
  explanation: string;
}

export interface QualityScoreView {
  project: string;
  suite?: string;
  from: string;
  to: string;
  score: number;
  components: QualityComponentView[];
  history: Array<{ day: string; score: number }>;
}

export interface FailureClusterView {
  fingerprint: string;
  count: number;
  tests: Array<{ testId: string; suite: string; name: string }>;
  testCount: number;
  branches: string[];
  firstSeen: string;
  lastSeen: string;
  /** First seen inside the window (and not before it). */
  isNew: boolean;
  example?: { runId: string; testId: string; name: string; type?: string; message?: string; stack?: string };
}

export interface PatternsView {
  project: string;
  from: string;
  to: string;
  failures: number;
  /** Clusters in the window, and how many of them are new (whether listed or not). */
  clusterCount: number;
  newClusterCount: number;
  /** The largest first; every cluster, or the first `limit`. */
  clusters: FailureClusterView[];
}
