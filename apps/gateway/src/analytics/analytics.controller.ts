import { Body, Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectScoped, RequirePermissions } from '@testpulse/auth';
import {
  ANALYTICS_PATTERNS,
  FlakinessRequestDto,
  FlakinessView,
  MetricsView,
  PatternsRequestDto,
  PatternsView,
  QualityScoreView,
  SuiteWindowQueryDto,
  TrendsView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { GatewayEnv } from '../env';

/** Analyses computed by analytics-engine from the rollups and packed per-test history. */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller()
export class AnalyticsController {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    @Inject(GatewayEnv) env: GatewayEnv,
  ) {
    this.timeoutMs = env.ANALYTICS_TIMEOUT_MS;
  }

  @Post('analytics/flakiness')
  @HttpCode(200)
  @ApiOperation({ summary: 'Flaky, broken and stable tests of a project, with the evidence' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'body', field: 'project' })
  flakiness(@Body() body: FlakinessRequestDto): Promise<FlakinessView> {
    return this.services.send(ANALYTICS_PATTERNS.flakiness, body, { timeoutMs: this.timeoutMs });
  }

  @Get('analytics/quality-score')
  @ApiOperation({ summary: 'Quality score 0–100 with its components and daily history' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  qualityScore(@Query() query: SuiteWindowQueryDto): Promise<QualityScoreView> {
    return this.services.send(ANALYTICS_PATTERNS.qualityScore, query, { timeoutMs: this.timeoutMs });
  }

  @Post('analytics/patterns')
  @HttpCode(200)
  @ApiOperation({ summary: 'Failures clustered by fingerprint' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'body', field: 'project' })
  patterns(@Body() body: PatternsRequestDto): Promise<PatternsView> {
    return this.services.send(ANALYTICS_PATTERNS.patterns, body, { timeoutMs: this.timeoutMs });
  }

  @Get('aggregation/trends')
  @ApiOperation({ summary: 'Daily pass rate with Wilson intervals, its slope, anomalous days, durations' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  trends(@Query() query: SuiteWindowQueryDto): Promise<TrendsView> {
    return this.services.send(ANALYTICS_PATTERNS.trends, query, { timeoutMs: this.timeoutMs });
  }

  @Get('aggregation/metrics')
  @ApiOperation({ summary: 'Duration percentiles per suite and test, slowest tests, duration regressions' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  metrics(@Query() query: SuiteWindowQueryDto): Promise<MetricsView> {
    return this.services.send(ANALYTICS_PATTERNS.metrics, query, { timeoutMs: this.timeoutMs });
  }
}
