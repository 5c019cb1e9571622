import { LRUCache } from 'lru-cache';
import { CacheScope, inScope } from './cache-keys';

export interface LocalEntry {
  /** The stored form (see StoredValue). */
  stored: string;
  namespace: string;
  projects: readonly string[];
  /** The generation counters the entry's key was made with, and their values then. */
  generations: Readonly<Record<string, number>>;
  /** The value, parsed and deep-frozen, once a reader asked for it shared (TwoLayerCache.readShared). */
  value?: unknown;
}

export interface LocalLayerOptions {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Rough bytes an entry holds: its string (two bytes a character), its parsed value when kept (counted
 * as twice the string again: objects and arrays take more than their JSON) and the bookkeeping.
 */
const entryBytes = (entry: LocalEntry): number =>
  entry.stored.length * 2 * (entry.value === undefined ? 1 : 3) + 256;

/**
 * The in-process layer: least recently used entries go first once it holds `maxEntries` entries or
 * `maxBytes` bytes; each entry also expires at its own time. Values are kept as strings, so a reader
 * can never change what the next one gets; a parsed copy kept beside one is deep-frozen.
 */
export class LocalLayer {
  private readonly lru: LRUCache<string, LocalEntry>;
  private evicted = 0;

  constructor(readonly options: LocalLayerOptions) {
    this.lru = new LRUCache<string, LocalEntry>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: entryBytes,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') this.evicted += 1;
      },
    });
  }

  get(key: string): LocalEntry | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: LocalEntry, ttlMs: number): void {
    this.lru.set(key, entry, { ttl: ttlMs });
  }

  /**
   * Keeps `value` (the entry's value parsed, deep-frozen) with the entry while it is held under `key`,
   * counted in its bytes; its lifetime stays. Nothing when the key holds another entry by now.
   */
  keepValue(key: string, entry: LocalEntry, value: unknown): void {
    if (this.lru.peek(key) !== entry) return;
    this.lru.set(key, { ...entry, value }, { noUpdateTTL: true });
  }

  /**
   * Drops the entries made before `counter` reached `generation` (they are unreachable already; this
   * frees the memory). Entries made since stay.
   */
  dropOlder(counter: string, generation: number): number {
    let dropped = 0;
    for (const [key, entry] of this.lru.entries()) {
      const made = entry.generations[counter];
      if (made !== undefined && made < generation) {
        this.lru.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Drops every entry an invalidation of `scope` reaches. */
  drop(scope: CacheScope): number {
    let dropped = 0;
    for (const [key, entry] of this.lru.entries()) {
      if (inScope(scope, entry.namespace, entry.projects)) {
        this.lru.delete(key);
        dropped += 1;
      }
    }
    return dropped;
  }

  get entries(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }

  /** Entries pushed out to respect the bounds (not those expired or invalidated). */
  get evictions(): number {
    return this.evicted;
  }
}
