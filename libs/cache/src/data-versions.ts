import { Logger } from '@nestjs/common';
import { CacheBackend } from './cache-backend';
import { CACHE_PREFIX } from './cache-keys';

const RETRY_BUMPS_MS = 1000;

/**
 * Version counters of stored data, finer than the cache's generations: a writer bumps the version of
 * what it changed (a project's day, say) after the write, and a reader that keeps a copy keyed by
 * the version it read before reading the data never serves that copy once the data changed. The
 * counters live next to the cache's generations, in the cache's Redis, and behave like them: a
 * counter that does not exist starts from the clock (so a Redis restarted empty cannot bring an old
 * version back), and a bump that cannot reach Redis is retried every second until it does.
 *
 * This is not the cache: `POST /cache/invalidate` does not reach it, because what it guards is a copy
 * of stored data, exact as long as its version is current, not a computed answer.
 */
export class DataVersions {
  private readonly logger = new Logger(DataVersions.name);
  private readonly pending = new Set<string>();
  private retryTimer?: NodeJS.Timeout;

  constructor(
    private readonly backend: CacheBackend,
    private readonly now: () => number = Date.now,
  ) {}

  /** The counter's Redis key for a version name (e.g. `day:<project>:<day>`). */
  static key(name: string): string {
    return `${CACHE_PREFIX}:ver:${name}`;
  }

  /**
   * Current versions of these names, read live from Redis; undefined when Redis is unreachable or a
   * bump of this process is still waiting for it (then copies must not be used).
   */
  async current(names: readonly string[]): Promise<number[] | undefined> {
    if (names.length === 0) return [];
    const keys = names.map(DataVersions.key);
    if (keys.some((key) => this.pending.has(key))) return undefined;
    try {
      let values = await this.backend.counters(keys);
      const missing = keys.filter((_, i) => values[i] === null);
      if (missing.length > 0) {
        const start = this.now();
        await Promise.all(missing.map((key) => this.backend.initCounter(key, start)));
        values = await this.backend.counters(keys);
      }
      if (values.some((value) => value === null)) return undefined;
      return values.map(Number);
    } catch {
      return undefined;
    }
  }

  /** Marks the named data as changed: call after the write has been acknowledged. */
  async bump(name: string): Promise<void> {
    const key = DataVersions.key(name);
    try {
      // From the clock when the counter is new (see above), then one more.
      await this.backend.initCounter(key, this.now());
      await this.backend.bump(key);
      this.pending.delete(key);
    } catch {
      if (!this.pending.has(key))
        this.logger.warn({ key }, 'cache Redis unreachable: the data version bump is retried every second');
      this.pending.add(key);
      this.scheduleRetry();
    }
  }

  /** Bumps still waiting for Redis. */
  get pendingBumps(): number {
    return this.pending.size;
  }

  close(): void {
    clearTimeout(this.retryTimer);
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const keys = [...this.pending];
      void Promise.all(keys.map((key) => this.bump(key.slice(`${CACHE_PREFIX}:ver:`.length))));
    }, RETRY_BUMPS_MS);
    this.retryTimer.unref();
  }
}
