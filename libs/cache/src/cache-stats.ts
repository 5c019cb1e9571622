import type { CacheInstanceStatsView, NamespaceStatsView } from '@testpulse/contracts';
import { LocalLayer } from './local-layer';

const ratio = (hits: number, misses: number): number => (hits + misses === 0 ? 0 : hits / (hits + misses));

interface NamespaceCounters {
  hits: number;
  misses: number;
  computations: number;
  coalesced: number;
  errors: number;
}

/** Counters of one process since it started. */
export class CacheStats {
  readonly local = { hits: 0, misses: 0 };
  readonly redis = { hits: 0, misses: 0, errors: 0 };
  private readonly byNamespace = new Map<string, NamespaceCounters>();

  namespace(name: string): NamespaceCounters {
    let counters = this.byNamespace.get(name);
    if (!counters) {
      counters = { hits: 0, misses: 0, computations: 0, coalesced: 0, errors: 0 };
      this.byNamespace.set(name, counters);
    }
    return counters;
  }

  snapshot(
    identity: { instance: string; service: string; startedAt: Date },
    local: LocalLayer,
    redisAvailable: boolean,
  ): CacheInstanceStatsView {
    const namespaces: Record<string, NamespaceStatsView> = {};
    for (const [name, c] of this.byNamespace) namespaces[name] = { ...c, hitRatio: ratio(c.hits, c.misses) };
    return {
      instance: identity.instance,
      service: identity.service,
      pid: process.pid,
      startedAt: identity.startedAt.toISOString(),
      redisAvailable,
      local: {
        ...this.local,
        hitRatio: ratio(this.local.hits, this.local.misses),
        entries: local.entries,
        bytes: local.bytes,
        maxEntries: local.options.maxEntries,
        maxBytes: local.options.maxBytes,
        evictions: local.evictions,
      },
      redis: { ...this.redis, hitRatio: ratio(this.redis.hits, this.redis.misses) },
      namespaces,
    };
  }
}

/** Sums the snapshots of every instance. */
export function totalsOf(instances: readonly CacheInstanceStatsView[]) {
  const local = { hits: 0, misses: 0, entries: 0, bytes: 0, evictions: 0 };
  const redis = { hits: 0, misses: 0, errors: 0 };
  const namespaces: Record<string, NamespaceStatsView> = {};
  let hits = 0;
  let misses = 0;
  for (const instance of instances) {
    for (const key of ['hits', 'misses', 'entries', 'bytes', 'evictions'] as const)
      local[key] += instance.local[key];
    for (const key of ['hits', 'misses', 'errors'] as const) redis[key] += instance.redis[key];
    for (const [name, c] of Object.entries(instance.namespaces)) {
      const sum = (namespaces[name] ??= {
        hits: 0,
        misses: 0,
        computations: 0,
        coalesced: 0,
        errors: 0,
        hitRatio: 0,
      });
      for (const key of ['hits', 'misses', 'computations', 'coalesced', 'errors'] as const)
        sum[key] += c[key];
      hits += c.hits;
      misses += c.misses;
    }
  }
  for (const sum of Object.values(namespaces)) sum.hitRatio = ratio(sum.hits, sum.misses);
  return {
    local: { ...local, hitRatio: ratio(local.hits, local.misses) },
    redis: { ...redis, hitRatio: ratio(redis.hits, redis.misses) },
    overall: { hits, misses, hitRatio: ratio(hits, misses) },
    namespaces,
  };
}
