import { Body, Controller, Get, HttpCode, Inject, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, ProjectScoped, RequirePermissions } from '@testpulse/auth';
import {
  ANALYTICS_LIMITS,
  ANALYTICS_PATTERNS,
  AnalysisWindowDto,
  CacheNamespace,
  FlakinessRequestDto,
  PatternsRequestDto,
  SuiteWindowQueryDto,
} from '@testpulse/contracts';
import type { Response } from 'express';
import { GatewayEnv } from '../env';
import { CachedReads } from './cached-reads';

const CACHED = { description: 'The analysis; header X-Cache tells which cache layer answered' };

/**
 * Analyses computed by analytics-engine from the rollups and packed per-test history, through the
 * two-layer cache (a new run of the project makes its cached analyses unreachable at once).
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller()
export class AnalyticsController {
  private readonly timeoutMs: number;

  constructor(
    private readonly reads: CachedReads,
    @Inject(GatewayEnv) env: GatewayEnv,
  ) {
    this.timeoutMs = env.ANALYTICS_TIMEOUT_MS;
  }

  private send(
    res: Response,
    user: AuthUser,
    namespace: CacheNamespace,
    pattern: string,
    request: AnalysisWindowDto,
  ): Promise<void> {
    // The default window spelt out, so that a request without `days` shares entries with one naming it.
    const payload = { ...request, days: request.days ?? ANALYTICS_LIMITS.defaultDays };
    return this.reads.send(res, user, namespace, pattern, payload, this.timeoutMs);
  }

  @Post('analytics/flakiness')
  @HttpCode(200)
  @ApiOperation({ summary: 'Flaky, broken and stable tests of a project, with the evidence' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'body', field: 'project' })
  @ApiOkResponse(CACHED)
  flakiness(
    @Body() body: FlakinessRequestDto,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(res, user, 'analytics.flakiness', ANALYTICS_PATTERNS.flakiness, body);
  }

  @Get('analytics/quality-score')
  @ApiOperation({ summary: 'Quality score 0–100 with its components and daily history' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiOkResponse(CACHED)
  qualityScore(
    @Query() query: SuiteWindowQueryDto,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(res, user, 'analytics.quality', ANALYTICS_PATTERNS.qualityScore, query);
  }

  @Post('analytics/patterns')
  @HttpCode(200)
  @ApiOperation({ summary: 'Failures clustered by fingerprint' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'body', field: 'project' })
  @ApiOkResponse(CACHED)
  patterns(
    @Body() body: PatternsRequestDto,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(res, user, 'analytics.patterns', ANALYTICS_PATTERNS.patterns, body);
  }

  @Get('aggregation/trends')
  @ApiOperation({ summary: 'Daily pass rate with Wilson intervals, its slope, anomalous days, durations' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiOkResponse(CACHED)
  trends(
    @Query() query: SuiteWindowQueryDto,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(res, user, 'analytics.trends', ANALYTICS_PATTERNS.trends, query);
  }

  @Get('aggregation/metrics')
  @ApiOperation({ summary: 'Duration percentiles per suite and test, slowest tests, duration regressions' })
  @RequirePermissions('analytics:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiOkResponse(CACHED)
  metrics(
    @Query() query: SuiteWindowQueryDto,
    @CurrentUser() user: AuthUser,
    @Res() res: Response,
  ): Promise<void> {
    return this.send(res, user, 'analytics.metrics', ANALYTICS_PATTERNS.metrics, query);
  }
}
