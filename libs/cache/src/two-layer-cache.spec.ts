import { CacheRequest, canonicalJson, counterOf, countersOf, entryKey, jitteredTtlMs } from './cache-keys';
import { CacheStats, totalsOf } from './cache-stats';
import { LocalLayer } from './local-layer';
import { MemoryCacheBackend as MemoryBackend } from './memory-cache-backend';
import { CacheBusMessage, CacheUnavailableError, TwoLayerCache } from './two-layer-cache';

const trends: CacheRequest = { namespace: 'analytics.trends', projects: ['shop'], params: { days: 7 } };

function instance(backend: MemoryBackend, name = 'a', local = { maxEntries: 100, maxBytes: 1 << 20 }) {
  return new TwoLayerCache(backend, new LocalLayer(local), new CacheStats(), {
    ttlSeconds: 60,
    jitter: 0.1,
    instance: name,
  });
}

/** A computation that counts its calls and resolves when told. */
function gate<T>(value: T) {
  let release!: () => void;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const calls = { n: 0 };
  const compute = async () => {
    calls.n += 1;
    await opened;
    return value;
  };
  return { compute, release, calls };
}

describe('cache keys', () => {
  it('does not depend on field order or undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: 3 }] })).toBe('{"a":[2,{"c":3}],"b":1}');
    const k1 = entryKey(
      { namespace: 'n', projects: ['b', 'a'], params: { x: 1, y: undefined } },
      [0, 1],
      '2026-01-01',
    );
    const k2 = entryKey({ namespace: 'n', projects: ['a', 'b'], params: { x: 1 } }, [0, 1], '2026-01-01');
    expect(k1).toBe(k2);
    expect(entryKey({ namespace: 'n', projects: ['a'], params: {} }, [0], '2026-01-02')).not.toBe(
      entryKey({ namespace: 'n', projects: ['a'], params: {} }, [0], '2026-01-01'),
    );
  });

  it('makes an entry depend on everything, its namespace, and each project alone and within the namespace', () => {
    expect(countersOf({ namespace: 'reports', projects: ['b', 'a', 'b'], params: {} })).toEqual([
      'tp:cache:gen:all',
      'tp:cache:gen:ns:reports',
      'tp:cache:gen:p:a',
      'tp:cache:gen:np:reports:a',
      'tp:cache:gen:p:b',
      'tp:cache:gen:np:reports:b',
    ]);
    expect(counterOf({ project: 'a', namespace: 'reports' })).toBe('tp:cache:gen:np:reports:a');
  });

  it('takes up to the jitter off the TTL', () => {
    expect(jitteredTtlMs(100, 0.1, () => 0)).toBe(100_000);
    expect(jitteredTtlMs(100, 0.1, () => 1)).toBe(90_000);
    expect(jitteredTtlMs(100, 0.1, () => 0.5)).toBe(95_000);
  });
});

describe('TwoLayerCache', () => {
  it('computes a burst of identical cold reads once and serves the rest from memory', async () => {
    const cache = instance(new MemoryBackend());
    const { compute, release, calls } = gate({ passRate: 0.9 });
    const burst = Array.from({ length: 100 }, () => cache.read(trends, compute));
    await new Promise((resolve) => setImmediate(resolve));
    release();
    const results = await Promise.all(burst);
    expect(calls.n).toBe(1);
    expect(results.every((r) => r.value.passRate === 0.9)).toBe(true);
    expect(results.filter((r) => r.source === 'computed')).toHaveLength(1);
    expect(results.filter((r) => r.source === 'shared')).toHaveLength(99);
    expect((await cache.read(trends, compute)).source).toBe('local');
    expect(cache.stats.namespace('analytics.trends')).toEqual({
      hits: 1,
      misses: 100,
      computations: 1,
      coalesced: 99,
      errors: 0,
    });
  });

  it('never stores a failed computation', async () => {
    const cache = instance(new MemoryBackend());
    await expect(cache.read(trends, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const again = await cache.read(trends, async () => 'fine');
    expect(again).toMatchObject({ value: 'fine', source: 'computed' });
    expect(cache.stats.namespace('analytics.trends').errors).toBe(1);
  });

  it('shares entries between instances through the shared layer', async () => {
    const backend = new MemoryBackend();
    const [a, b] = [instance(backend, 'a'), instance(backend, 'b')];
    await a.read(trends, async () => 1);
    const fromB = await b.read(trends, async () => 2);
    expect(fromB).toMatchObject({ value: 1, source: 'redis' });
    expect((await b.read(trends, async () => 3)).source).toBe('local');
  });

  it('does not ask Redis for an entry expected to be missing, but stores what it computes there', async () => {
    const backend = new MemoryBackend();
    const [a, b] = [instance(backend, 'a'), instance(backend, 'b')];
    await a.read(trends, async () => 1);
    const gets = backend.gets;
    // b would have found 1 in Redis: told to expect a miss, it computes, and does not look.
    const fresh = await b.read(trends, async () => 2, { expectMiss: true });
    expect(fresh).toMatchObject({ value: 2, source: 'computed' });
    expect(backend.gets).toBe(gets);
    // Its own layer is still looked at; and what it computed is in Redis for the others.
    expect((await b.read(trends, async () => 3, { expectMiss: true })).source).toBe('local');
    expect(await instance(backend, 'c').read(trends, async () => 4)).toMatchObject({
      value: 2,
      source: 'redis',
    });
  });

  it('makes entries unreachable on every instance once a project is invalidated', async () => {
    const backend = new MemoryBackend();
    const [a, b] = [instance(backend, 'a'), instance(backend, 'b')];
    await a.read(trends, async () => 'old');
    await b.read(trends, async () => 'never');
    const other = { ...trends, projects: ['other'] };
    await b.read(other, async () => 'other');
    await a.invalidate({ project: 'shop' }, { retry: false });
    // b has not heard the message yet: the counter read on every read is enough.
    expect(await b.read(trends, async () => 'new')).toMatchObject({ value: 'new', source: 'computed' });
    expect(await a.read(trends, async () => 'newer')).toMatchObject({ value: 'new', source: 'redis' });
    expect((await b.read(other, async () => 'x')).source).toBe('local');
    // The message frees b's old entry; the other project's stays.
    const before = b.local.entries;
    b.onInvalidated(backend.published[0] as Extract<CacheBusMessage, { type: 'invalidated' }>);
    expect(b.local.entries).toBe(before - 1);
  });

  it('invalidates a namespace without touching the others', async () => {
    const backend = new MemoryBackend();
    const cache = instance(backend);
    const report: CacheRequest = { namespace: 'reports', projects: ['shop'], params: {} };
    await cache.read(trends, async () => 't1');
    await cache.read(report, async () => 'r1');
    await cache.invalidate({ namespace: 'reports' }, { retry: false });
    expect((await cache.read(trends, async () => 't2')).value).toBe('t1');
    expect((await cache.read(report, async () => 'r2')).value).toBe('r2');
    await cache.invalidate({}, { retry: false });
    expect((await cache.read(trends, async () => 't3')).value).toBe('t3');
  });

  it('keeps serving from memory and computing while Redis is down, and uses it again when it returns', async () => {
    const backend = new MemoryBackend();
    const cache = instance(backend);
    await cache.read(trends, async () => 'warm');
    backend.down = true;
    expect(await cache.read(trends, async () => 'x')).toMatchObject({ value: 'warm', source: 'local' });
    const cold = { ...trends, params: { days: 30 } };
    expect(await cache.read(cold, async () => 'direct')).toMatchObject({
      value: 'direct',
      source: 'uncached',
    });
    expect(await cache.read(cold, async () => 'direct again')).toMatchObject({ value: 'direct again' });
    expect(cache.redisAvailable).toBe(false);
    backend.down = false;
    expect(await cache.read(cold, async () => 'stored')).toMatchObject({
      value: 'stored',
      source: 'computed',
    });
    expect(backend.gets).toBeGreaterThan(0);
    expect((await cache.read(cold, async () => 'y')).source).toBe('local');
  });

  it('starts the counters of an empty Redis from the clock, so entries made before a restart stay unreachable', async () => {
    const backend = new MemoryBackend();
    const cache = instance(backend);
    await cache.read(trends, async () => 'before');
    expect(Number(backend.values.get('tp:cache:gen:all'))).toBeGreaterThan(1_000_000_000_000);
    backend.values.clear(); // restarted without persistence
    await new Promise((resolve) => setTimeout(resolve, 2));
    expect(await cache.read(trends, async () => 'after')).toMatchObject({
      value: 'after',
      source: 'computed',
    });
  });

  it('computes without caching when it never saw the counters and Redis is down', async () => {
    const backend = new MemoryBackend();
    backend.down = true;
    const cache = instance(backend);
    expect(await cache.read(trends, async () => 1)).toMatchObject({ value: 1, source: 'uncached' });
    expect(await cache.read(trends, async () => 2)).toMatchObject({ value: 2, source: 'uncached' });
  });

  it('computes a read that requires live counters while Redis is down, even with the entry in memory', async () => {
    const backend = new MemoryBackend();
    const cache = instance(backend);
    const access = { namespace: 'access', projects: ['shop'], params: { member: 'qa' } };
    await cache.read(access, async () => 'member', { requireLive: true });
    expect(await cache.read(access, async () => 'x', { requireLive: true })).toMatchObject({
      value: 'member',
      source: 'local',
    });
    backend.down = true;
    expect(await cache.read(access, async () => 'asked', { requireLive: true })).toMatchObject({
      value: 'asked',
      source: 'uncached',
    });
    // A read that does not require it still takes the entry it holds.
    expect(await cache.read(access, async () => 'x')).toMatchObject({ value: 'member', source: 'local' });
    backend.down = false;
    expect(await cache.read(access, async () => 'x', { requireLive: true })).toMatchObject({
      value: 'member',
      source: 'local',
    });
  });

  it('refuses an administrator invalidation while Redis is down, and retries a writer one until it lands', async () => {
    jest.useFakeTimers();
    try {
      const backend = new MemoryBackend();
      const cache = instance(backend);
      backend.down = true;
      await expect(cache.invalidate({ project: 'shop' }, { retry: false })).rejects.toThrow(
        CacheUnavailableError,
      );
      await cache.invalidate({ project: 'shop' }, { retry: true });
      expect(cache.pendingInvalidations).toBe(1);
      backend.down = false;
      await jest.advanceTimersByTimeAsync(1100);
      expect(cache.pendingInvalidations).toBe(0);
      expect(backend.values.get('tp:cache:gen:p:shop')).toBe('1');
    } finally {
      jest.useRealTimers();
    }
  });

  it('shares one frozen parsed value between reads of an entry it holds, counted in its bytes', async () => {
    const backend = new MemoryBackend();
    const [a, b] = [instance(backend, 'a'), instance(backend, 'b')];
    expect((await a.readJson(trends, async () => ({ tests: [{ name: 't1' }] }))).source).toBe('computed');
    const bytes = a.local.bytes;
    type Listing = { tests: Array<{ name: string }> };
    const computed = await a.readShared<Listing>(trends, async () => ({ tests: [] }));
    expect(computed).toMatchObject({ value: { tests: [{ name: 't1' }] }, source: 'local' });
    expect(a.local.bytes).toBeGreaterThan(bytes);
    const again = await a.readShared<Listing>(trends, async () => ({ tests: [] }));
    expect(again.source).toBe('local');
    expect(again.value).toBe(computed.value);
    // Frozen through and through: a reader cannot change what the next one gets.
    expect(() => again.value.tests.push({ name: 'x' })).toThrow(TypeError);
    expect(() => {
      again.value.tests[0].name = 'changed';
    }).toThrow(TypeError);
    // The JSON and plain reads are as before: a fresh copy each.
    expect((await a.readJson(trends, async () => 0)).json).toBe('{"tests":[{"name":"t1"}]}');
    const plain = await a.read<Listing>(trends, async () => ({ tests: [] }));
    plain.value.tests.push({ name: 'mine' });
    expect((await a.readShared(trends, async () => ({ tests: [] }))).value).toEqual({
      tests: [{ name: 't1' }],
    });
    // From Redis into another instance: parsed there once too.
    const fromRedis = await b.readShared(trends, async () => ({ tests: [] }));
    expect(fromRedis.source).toBe('redis');
    expect((await b.readShared(trends, async () => ({ tests: [] }))).value).toBe(fromRedis.value);
    // After an invalidation, the new value is a new object.
    await a.invalidate({ project: 'shop' }, { retry: false });
    const next = await a.readShared<Listing>(trends, async () => ({ tests: [{ name: 't2' }] }));
    expect(next.source).toBe('computed');
    expect(next.value).not.toBe(computed.value);
    expect((await a.readShared(trends, async () => ({ tests: [] }))).value).toBe(next.value);
    expect(Object.isFrozen(next.value.tests[0])).toBe(true);
  });

  it('evicts the least recently used entries beyond its bounds and counts them', async () => {
    const cache = instance(new MemoryBackend(), 'a', { maxEntries: 2, maxBytes: 1 << 20 });
    for (const days of [1, 2, 3]) await cache.read({ ...trends, params: { days } }, async () => days);
    expect(cache.local.entries).toBe(2);
    expect(cache.local.evictions).toBe(1);
    const bytes = instance(new MemoryBackend(), 'b', { maxEntries: 100, maxBytes: 3000 });
    for (const days of [1, 2, 3])
      await bytes.read({ ...trends, params: { days } }, async () => 'x'.repeat(500));
    expect(bytes.local.bytes).toBeLessThanOrEqual(3000);
    expect(bytes.local.entries).toBe(2);
  });

  it('sums the stats of several instances', () => {
    const backend = new MemoryBackend();
    const [a, b] = [instance(backend, 'a'), instance(backend, 'b')];
    a.stats.namespace('reports').hits = 3;
    b.stats.namespace('reports').hits = 1;
    b.stats.namespace('reports').misses = 1;
    const id = (name: string) => ({ instance: name, service: 's', startedAt: new Date(0) });
    const totals = totalsOf([
      a.stats.snapshot(id('a'), a.local, true),
      b.stats.snapshot(id('b'), b.local, true),
    ]);
    expect(totals.namespaces.reports).toMatchObject({ hits: 4, misses: 1, hitRatio: 0.8 });
    expect(totals.overall).toEqual({ hits: 4, misses: 1, hitRatio: 0.8 });
  });
});
