import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@testpulse/auth';
import {
  CACHE_PATTERNS,
  CacheStatsView,
  InvalidateCacheDto,
  InvalidateCacheView,
  WarmCacheDto,
  WarmCacheView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { GatewayEnv } from '../env';

/**
 * The two cache layers, run by cache-management. These are operations on the whole fleet, for the
 * roles with `cache:manage` (administrators, test managers) and `cache:read` (also development leads).
 */
@ApiTags('cache')
@ApiBearerAuth()
@Controller('cache')
export class CacheController {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    @Inject(GatewayEnv) env: GatewayEnv,
  ) {
    this.timeoutMs = env.ANALYTICS_TIMEOUT_MS;
  }

  @Post('invalidate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Make cached entries of a project, a namespace, both, or all unreachable at once',
  })
  @RequirePermissions('cache:manage')
  invalidate(@Body() body: InvalidateCacheDto): Promise<InvalidateCacheView> {
    return this.services.send(CACHE_PATTERNS.invalidate, body);
  }

  @Get('stats')
  @ApiOperation({
    summary: 'Hits, misses and hit ratio per layer and namespace, memory and evictions, from every instance',
  })
  @RequirePermissions('cache:read')
  stats(): Promise<CacheStatsView> {
    return this.services.send(CACHE_PATTERNS.stats, {});
  }

  @Post('warm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Compute what users open most (analyses, reports) into the cache' })
  @RequirePermissions('cache:manage')
  warm(@Body() body: WarmCacheDto): Promise<WarmCacheView> {
    return this.services.send(CACHE_PATTERNS.warm, body, { timeoutMs: this.timeoutMs });
  }
}
