import { Inject, Injectable } from '@nestjs/common';
import { DataVersions } from '@testpulse/cache';
import { dayDataVersion } from '@testpulse/contracts';
import { LRUCache } from 'lru-cache';
import { DataAggregationEnv } from '../env';

interface Held {
  value: unknown;
  size: number;
}

/**
 * Copies of stored history that analyses read again and again, kept in this process and bounded in
 * bytes (HISTORY_MEMO_MB), least recently used out first:
 * - per project and day, under the day's version (DataVersions) read *before* the data, so a copy
 *   is served only while its day is unchanged: a finished run makes its day's documents be read
 *   again, the 29 other days of a 30-day window are not;
 * - documents that never change once complete (a run's per-test outcomes), by key.
 * When the versions cannot be read (the cache's Redis is away), every read goes to the database.
 */
@Injectable()
export class StoredMemo {
  private readonly held: LRUCache<string, Held>;
  /** Keys being read now: a request that misses one waits for that read instead of making another. */
  private readonly loading = new Map<string, Promise<unknown>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly versions: DataVersions,
    @Inject(DataAggregationEnv) env: DataAggregationEnv,
  ) {
    this.held = new LRUCache<string, Held>({
      maxSize: env.HISTORY_MEMO_MB * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.size),
    });
  }

  /**
   * Each day's `kind` of data for the project: from memory where the day's version is the one held,
   * the other days from `read` (given only those; days it leaves out hold nothing).
   */
  async perDay<T>(
    kind: string,
    project: string,
    days: readonly string[],
    read: (days: string[]) => Promise<Map<string, T>>,
    sizeOf: (value: T) => number,
  ): Promise<Map<string, T | undefined>> {
    const versions = await this.versions.current(days.map((day) => dayDataVersion(project, day)));
    if (!versions) return read([...days]);
    const found = new Map<string, T | undefined>();
    const missing: Array<{ day: string; key: string }> = [];
    days.forEach((day, i) => {
      const key = `${kind}|${project}|${day}|${versions[i]}`;
      const held = this.held.get(key);
      if (held) found.set(day, held.value as T | undefined);
      else missing.push({ day, key });
    });
    this.hits += days.length - missing.length;
    this.misses += missing.length;
    if (missing.length === 0) return found;
    await this.load(
      missing.map((m) => ({ id: m.day, key: m.key })),
      read,
      () => true,
      (value: T | undefined) => (value === undefined ? 64 : sizeOf(value)),
      (day, value) => found.set(day, value),
    );
    return found;
  }

  /**
   * Documents that never change once `complete` says they are whole, by key: from memory, the others
   * from `read` (given only those).
   */
  async immutable<T>(
    kind: string,
    keys: readonly string[],
    read: (keys: string[]) => Promise<Map<string, T>>,
    complete: (value: T) => boolean,
    sizeOf: (value: T) => number,
  ): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    const missing: string[] = [];
    for (const key of keys) {
      const held = this.held.get(`${kind}|${key}`);
      if (held) found.set(key, held.value as T);
      else missing.push(key);
    }
    this.hits += keys.length - missing.length;
    this.misses += missing.length;
    if (missing.length === 0) return found;
    await this.load(
      missing.map((key) => ({ id: key, key: `${kind}|${key}` })),
      read,
      (value: T | undefined) => value !== undefined && complete(value),
      (value: T | undefined) => (value === undefined ? 64 : sizeOf(value)),
      (key, value) => {
        if (value !== undefined) found.set(key, value);
      },
    );
    return found;
  }

  /**
   * Reads the entries not being read already (one `read` for all of them), waits for those that
   * are, and hands each value to `take`; values that `keep` accepts are held.
   */
  private async load<T>(
    wanted: Array<{ id: string; key: string }>,
    read: (ids: string[]) => Promise<Map<string, T>>,
    keep: (value: T | undefined) => boolean,
    sizeOf: (value: T | undefined) => number,
    take: (id: string, value: T | undefined) => void,
  ): Promise<void> {
    const waits: Array<Promise<void>> = [];
    const toRead = wanted.filter(({ id, key }) => {
      const pending = this.loading.get(key) as Promise<T | undefined> | undefined;
      if (pending) waits.push(pending.then((value) => take(id, value)));
      return !pending;
    });
    if (toRead.length > 0) {
      const fresh = read(toRead.map((w) => w.id));
      for (const { id, key } of toRead) {
        const one = fresh.then((values) => {
          const value = values.get(id);
          if (keep(value)) this.held.set(key, { value, size: sizeOf(value) });
          return value;
        });
        this.loading.set(key, one);
        // Whoever waits sees a failure; the entry goes either way.
        one.then(
          () => this.loading.delete(key),
          () => this.loading.delete(key),
        );
        waits.push(one.then((value) => take(id, value)));
      }
    }
    await Promise.all(waits);
  }
}
