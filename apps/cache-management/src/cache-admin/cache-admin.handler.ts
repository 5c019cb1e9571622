import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import { CacheBus, CacheUnavailableError, TwoLayerCache, totalsOf } from '@testpulse/cache';
import {
  CACHE_PATTERNS,
  CacheStatsView,
  EXECUTION_EVENTS,
  ExecutionEvent,
  InvalidateCacheDto,
  InvalidateCacheView,
  WarmCacheDto,
  WarmCacheView,
} from '@testpulse/contracts';
import { MessageData, rpcError } from '@testpulse/messaging';
import { RewarmScheduler } from './rewarm.scheduler';
import { WarmingService } from './warming.service';

@Controller()
export class CacheAdminHandler {
  constructor(
    private readonly cache: TwoLayerCache,
    private readonly bus: CacheBus,
    private readonly warming: WarmingService,
    private readonly rewarm: RewarmScheduler,
  ) {}

  @MessagePattern(CACHE_PATTERNS.invalidate)
  async invalidate(@MessageData() request: InvalidateCacheDto): Promise<InvalidateCacheView> {
    const scope = {
      ...(request.project ? { project: request.project } : {}),
      ...(request.namespace ? { namespace: request.namespace } : {}),
    };
    try {
      const { counter, generation } = await this.cache.invalidate(scope, { retry: false });
      return { scope, counter, generation: generation ?? 0 };
    } catch (error) {
      if (error instanceof CacheUnavailableError) throw rpcError('UNAVAILABLE', error.message);
      throw error;
    }
  }

  @MessagePattern(CACHE_PATTERNS.stats)
  async stats(): Promise<CacheStatsView> {
    try {
      const [{ instances, expected }, redisServer] = await Promise.all([
        this.bus.collect(),
        this.bus.redisServer(),
      ]);
      instances.sort((a, b) => a.service.localeCompare(b.service) || a.instance.localeCompare(b.instance));
      return { instances, expected, totals: totalsOf(instances), redisServer };
    } catch (error) {
      throw rpcError('UNAVAILABLE', `the cache's Redis is unreachable: ${(error as Error).message}`);
    }
  }

  @MessagePattern(CACHE_PATTERNS.warm)
  warm(@MessageData() request: WarmCacheDto): Promise<WarmCacheView> {
    return this.warming.warm(request);
  }

  @EventPattern(EXECUTION_EVENTS.finished)
  runFinished(@MessageData() event: ExecutionEvent): void {
    this.rewarm.runFinished(event.project);
  }
}
