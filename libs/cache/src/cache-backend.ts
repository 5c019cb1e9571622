/**
 * The shared layer and the counters, as the cache uses them. The Redis implementation is
 * RedisCacheBackend; tests may use an in-memory one. Every method rejects when the store is
 * unreachable: the cache then degrades, it never fails the read.
 */
export interface CacheBackend {
  /** Values of counters (null: never bumped, i.e. 0). */
  counters(names: readonly string[]): Promise<Array<string | null>>;
  bump(counter: string): Promise<number>;
  /** Sets a counter that does not exist yet (no-op when it does). */
  initCounter(counter: string, value: number): Promise<void>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Whether the last call reached the store. */
  readonly available: boolean;
}
