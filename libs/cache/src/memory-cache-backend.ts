import { CacheBackend } from './cache-backend';
import { CACHE_EVENTS_CHANNEL } from './cache-keys';
import { CacheBusMessage } from './two-layer-cache';

/** Redis as the cache uses it, in memory, for tests; `down` makes every call reject as an unreachable server does. */
export class MemoryCacheBackend implements CacheBackend {
  readonly values = new Map<string, string>();
  readonly published: CacheBusMessage[] = [];
  down = false;
  gets = 0;

  get available(): boolean {
    return !this.down;
  }
  private check(): void {
    if (this.down) throw new Error('Connection is closed.');
  }
  async counters(names: readonly string[]): Promise<Array<string | null>> {
    this.check();
    return names.map((name) => this.values.get(name) ?? null);
  }
  async bump(counter: string): Promise<number> {
    this.check();
    const next = Number(this.values.get(counter) ?? 0) + 1;
    this.values.set(counter, String(next));
    return next;
  }
  async initCounter(counter: string, value: number): Promise<void> {
    this.check();
    if (!this.values.has(counter)) this.values.set(counter, String(value));
  }
  async get(key: string): Promise<string | null> {
    this.check();
    this.gets += 1;
    return this.values.get(key) ?? null;
  }
  async set(key: string, value: string): Promise<void> {
    this.check();
    this.values.set(key, value);
  }
  async publish(channel: string, message: string): Promise<void> {
    this.check();
    if (channel === CACHE_EVENTS_CHANNEL) this.published.push(JSON.parse(message) as CacheBusMessage);
  }
}
