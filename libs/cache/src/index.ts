export { CacheModule, CacheIdentity } from './cache.module';
export type { CacheModuleOptions } from './cache.module';
export { TwoLayerCache, CacheUnavailableError } from './two-layer-cache';
export type {
  CachedJson,
  CacheSource,
  CacheBusMessage,
  ReadOptions,
  TwoLayerCacheOptions,
} from './two-layer-cache';
export { CachedCalls } from './cached-calls';
export { DataVersions } from './data-versions';
export type { CachedCallOptions } from './cached-calls';
export { CacheBus, INSTANCE_LIVENESS_MS } from './cache-bus';
export { CacheStats, totalsOf } from './cache-stats';
export { LocalLayer } from './local-layer';
export type { LocalEntry, LocalLayerOptions } from './local-layer';
export type { CacheBackend } from './cache-backend';
export { RedisCacheBackend, cacheRedisOptions } from './redis-cache-backend';
export { MemoryCacheBackend } from './memory-cache-backend';
export {
  CACHE_PREFIX,
  CACHE_EVENTS_CHANNEL,
  CACHE_INSTANCES_KEY,
  canonicalJson,
  counterOf,
  countersOf,
  entryKey,
  inScope,
  jitteredTtlMs,
} from './cache-keys';
export type { CacheRequest, CacheScope } from './cache-keys';
