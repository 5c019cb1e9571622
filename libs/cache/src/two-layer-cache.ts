import { Logger } from '@nestjs/common';
import { CacheBackend } from './cache-backend';
import {
  CACHE_EVENTS_CHANNEL,
  CacheRequest,
  CacheScope,
  counterOf,
  countersOf,
  entryKey,
  jitteredTtlMs,
} from './cache-keys';
import { CacheStats } from './cache-stats';
import { LocalEntry, LocalLayer } from './local-layer';

/** Where a read's value came from. */
export type CacheSource =
  | 'local'
  | 'redis'
  /** computed by this read */
  | 'computed'
  /** waited for the same computation started by another read */
  | 'shared'
  /** computed and not stored: the cache's Redis was unreachable */
  | 'uncached';

export interface CachedJson {
  /** The value as JSON. */
  json: string;
  source: CacheSource;
  /** When the value was computed (epoch ms). */
  computedAt: number;
}

/** A read's result, with the entry of this process's layer it is held in (none when not stored). */
interface HeldJson extends CachedJson {
  held?: { key: string; entry: LocalEntry };
}

/** Freezes a parsed JSON value and everything in it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

export interface TwoLayerCacheOptions {
  /** Lifetime of an entry in both layers, less up to `jitter` of it at random. */
  ttlSeconds: number;
  jitter: number;
  /** Identifies this process in invalidation messages and stats. */
  instance: string;
  /** Current time (tests). */
  now?: () => number;
}

/** A message on CACHE_EVENTS_CHANNEL. */
export type CacheBusMessage =
  | { type: 'invalidated'; scope: CacheScope; counter: string; generation: number; from: string }
  | { type: 'collect'; replyTo: string }
  | { type: 'ping'; from: string };

export class CacheUnavailableError extends Error {}

export interface ReadOptions {
  /**
   * Serve from a layer only when the counters could be read from Redis just now; otherwise compute
   * (without storing). For answers that must never be stale, such as access rights.
   */
  requireLive?: boolean;
  /**
   * The entry is almost surely not stored yet (a live widget recomputed because a run just moved its
   * generation): this process's layer is looked at, Redis is not asked (a round trip that would miss),
   * and the value is computed and stored as usual.
   */
  expectMiss?: boolean;
}

/** The stored form: when it was computed, then the JSON. */
const store = (computedAt: number, json: string): string => `${computedAt}|${json}`;
function unstore(stored: string): { computedAt: number; json: string } {
  const bar = stored.indexOf('|');
  return { computedAt: Number(stored.slice(0, bar)), json: stored.slice(bar + 1) };
}

const RETRY_BUMPS_MS = 1000;

/**
 * Read-through cache in two layers: this process's LRU, then the shared Redis. Coherence comes
 * from generation counters: an entry's key holds the values of the counters it depends on
 * (everything, its namespace, each of its projects), read from Redis on every read, so bumping a
 * counter makes old entries unreachable on every instance at once; a message on the bus then frees
 * them from every process's memory.
 *
 * A burst of identical reads computes once in this process (single flight). A failed computation is
 * not stored. When Redis is unreachable, reads use the counters this process last saw and its own
 * entries, compute the rest without storing them, and use Redis again once it answers.
 */
export class TwoLayerCache {
  private readonly logger = new Logger(TwoLayerCache.name);
  /** The last value seen of each counter, for reads while Redis is unreachable. */
  private readonly known = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<HeldJson>>();
  /** Counters whose bump did not reach Redis, bumped again until it does. */
  private readonly pendingBumps = new Map<string, CacheScope>();
  private retryTimer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly backend: CacheBackend,
    readonly local: LocalLayer,
    readonly stats: CacheStats,
    private readonly options: TwoLayerCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The value of `request`, from a layer or from `compute` (whose result must be JSON-serialisable). */
  async read<T>(
    request: CacheRequest,
    compute: () => Promise<T>,
    options: ReadOptions = {},
  ): Promise<{ value: T } & CachedJson> {
    const result = await this.readJson(request, compute, options);
    return { ...result, value: JSON.parse(result.json) as T };
  }

  /**
   * As read(), but the value is deep-frozen and shared: parsed once for an entry this process holds,
   * then handed to every read of that entry (a live widget recomputed after each run reads the
   * cached analyses of every other project again). For readers that only read what they get.
   */
  async readShared<T>(
    request: CacheRequest,
    compute: () => Promise<T>,
    options: ReadOptions = {},
  ): Promise<{ value: T } & CachedJson> {
    const { held, ...result } = await this.readHeld(request, compute, options);
    let value = held?.entry.value;
    if (value === undefined) {
      value = deepFreeze(JSON.parse(result.json));
      if (held) this.local.keepValue(held.key, held.entry, value);
    }
    return { ...result, value: value as T };
  }

  /** As read(), but the JSON as it is stored (a gateway can send it without parsing it). */
  async readJson(
    request: CacheRequest,
    compute: () => Promise<unknown>,
    options: ReadOptions = {},
  ): Promise<CachedJson> {
    const { held: _held, ...result } = await this.readHeld(request, compute, options);
    return result;
  }

  /** The read itself; `held`: the entry of this process's layer the value is (or is now) in. */
  private async readHeld(
    request: CacheRequest,
    compute: () => Promise<unknown>,
    { requireLive = false, expectMiss = false }: ReadOptions,
  ): Promise<HeldJson> {
    const counters = countersOf(request);
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const read = await this.generations(counters);
    // Without Redis, this process's entries may predate a change it has not heard of: some reads
    // (access rights) compute instead.
    const { generations, live } = requireLive && !read.live ? { live: false } : read;
    const namespace = this.stats.namespace(request.namespace);
    const key = generations ? entryKey(request, generations, day) : `uncached|${entryKey(request, [], day)}`;

    if (generations) {
      const hit = this.local.get(key);
      if (hit) {
        this.stats.local.hits += 1;
        namespace.hits += 1;
        return { ...unstore(hit.stored), source: 'local', held: { key, entry: hit } };
      }
      this.stats.local.misses += 1;
    }

    const running = this.inflight.get(key);
    if (running) {
      namespace.misses += 1;
      namespace.coalesced += 1;
      const shared = await running;
      return { ...shared, source: shared.source === 'computed' ? 'shared' : shared.source };
    }
    const made = generations
      ? Object.fromEntries(counters.map((counter, i) => [counter, generations[i]]))
      : {};
    const pending = this.fill(
      request,
      key,
      made,
      live && generations !== undefined,
      generations !== undefined,
      compute,
      !expectMiss,
    );
    this.inflight.set(key, pending);
    try {
      return await pending;
    } finally {
      this.inflight.delete(key);
    }
  }

  private async fill(
    request: CacheRequest,
    key: string,
    made: Record<string, number>,
    shared: boolean,
    keyed: boolean,
    compute: () => Promise<unknown>,
    lookup: boolean,
  ): Promise<HeldJson> {
    const namespace = this.stats.namespace(request.namespace);
    const ttlMs = jitteredTtlMs(this.options.ttlSeconds, this.options.jitter);
    if (shared && lookup) {
      const stored = await this.backend.get(key).catch(() => {
        this.stats.redis.errors += 1;
        return undefined;
      });
      if (stored) {
        this.stats.redis.hits += 1;
        namespace.hits += 1;
        const entry = this.entry(request, stored, made);
        this.local.set(key, entry, ttlMs);
        return { ...unstore(stored), source: 'redis', held: { key, entry } };
      }
      if (stored === null) this.stats.redis.misses += 1;
    }
    namespace.misses += 1;
    namespace.computations += 1;
    let json: string;
    const computedAt = this.now();
    try {
      json = JSON.stringify((await compute()) ?? null);
    } catch (error) {
      namespace.errors += 1;
      throw error;
    }
    if (!keyed || !shared) return { json, computedAt, source: 'uncached' };
    const stored = store(computedAt, json);
    const entry = this.entry(request, stored, made);
    this.local.set(key, entry, ttlMs);
    // Not waited for: the command is on its way before the answer is, and a caller waiting for
    // Redis's acknowledgement (one more round trip, behind whatever the event loop is doing) gains
    // nothing; another process reading meanwhile would at worst compute the same thing again.
    void this.backend.set(key, stored, ttlMs).catch(() => {
      this.stats.redis.errors += 1;
    });
    return { json, computedAt, source: 'computed', held: { key, entry } };
  }

  private entry(request: CacheRequest, stored: string, generations: Record<string, number>): LocalEntry {
    return { stored, namespace: request.namespace, projects: [...request.projects], generations };
  }

  /** Current values of the counters, from Redis, else those this process last saw (if it saw all). */
  private async generations(counters: string[]): Promise<{ generations?: number[]; live: boolean }> {
    try {
      let values = await this.backend.counters(counters);
      if (values[0] === null) {
        // A Redis without counters (new, or restarted empty): start from the clock, so that no key made
        // before (still held in some process) can come back as the counters grow again.
        await this.backend.initCounter(counters[0], this.now());
        values = await this.backend.counters(counters);
      }
      const generations = values.map((value) => (value === null ? 0 : Number(value)));
      counters.forEach((counter, i) => this.known.set(counter, generations[i]));
      return { generations, live: true };
    } catch {
      this.stats.redis.errors += 1;
      const generations = counters.map((counter) => this.known.get(counter));
      return generations.every((g): g is number => g !== undefined)
        ? { generations, live: false }
        : { live: false };
    }
  }

  /**
   * Makes every entry in `scope` unreachable on every instance: bumps its counter in Redis, drops
   * this process's entries and tells the others to drop theirs. With `retry`, a bump that cannot
   * reach Redis is repeated every second until it does (data writers); without, it throws
   * CacheUnavailableError (an administrator's request).
   */
  async invalidate(
    scope: CacheScope,
    { retry }: { retry: boolean },
  ): Promise<{ counter: string; generation?: number }> {
    const counter = counterOf(scope);
    try {
      const generation = await this.backend.bump(counter);
      this.known.set(counter, generation);
      this.local.dropOlder(counter, generation);
      this.pendingBumps.delete(counter);
      await this.announce({ type: 'invalidated', scope, counter, generation, from: this.options.instance });
      return { counter, generation };
    } catch (error) {
      this.local.drop(scope);
      if (!retry)
        throw new CacheUnavailableError(`the cache's Redis is unreachable: ${(error as Error).message}`);
      this.logger.warn({ counter }, 'cache Redis unreachable: the invalidation will be retried every second');
      this.pendingBumps.set(counter, scope);
      this.scheduleRetry();
      return { counter };
    }
  }

  /** An invalidation announced by an instance (this one included): frees the entries it reached. */
  onInvalidated(message: Extract<CacheBusMessage, { type: 'invalidated' }>): void {
    if ((this.known.get(message.counter) ?? -1) < message.generation)
      this.known.set(message.counter, message.generation);
    if (message.from !== this.options.instance) this.local.dropOlder(message.counter, message.generation);
  }

  get redisAvailable(): boolean {
    return this.backend.available;
  }

  /** Counters still waiting to be bumped (Redis was unreachable). */
  get pendingInvalidations(): number {
    return this.pendingBumps.size;
  }

  close(): void {
    clearTimeout(this.retryTimer);
  }

  private async announce(message: CacheBusMessage): Promise<void> {
    await this.backend.publish(CACHE_EVENTS_CHANNEL, JSON.stringify(message)).catch(() => {
      this.stats.redis.errors += 1;
    });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const pending = [...this.pendingBumps.values()];
      void Promise.all(pending.map((scope) => this.invalidate(scope, { retry: true })));
    }, RETRY_BUMPS_MS);
    this.retryTimer.unref();
  }
}
