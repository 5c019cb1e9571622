import { DataVersions } from './data-versions';
import { MemoryCacheBackend } from './memory-cache-backend';

describe('DataVersions', () => {
  it('starts a new counter from the clock and moves it on every bump', async () => {
    const backend = new MemoryCacheBackend();
    const versions = new DataVersions(backend, () => 1_000);
    expect(await versions.current(['day:a:2026-11-01'])).toEqual([1_000]);
    await versions.bump('day:a:2026-11-01');
    expect(await versions.current(['day:a:2026-11-01', 'day:a:2026-11-02'])).toEqual([1_001, 1_000]);
  });

  it('never gives an old version again after Redis lost its counters', async () => {
    const backend = new MemoryCacheBackend();
    let now = 1_000;
    const versions = new DataVersions(backend, () => now);
    await versions.bump('day:a:2026-11-01');
    await versions.bump('day:a:2026-11-01');
    const [before] = (await versions.current(['day:a:2026-11-01'])) ?? [];
    backend.values.clear();
    now = 5_000;
    await versions.bump('day:a:2026-11-01');
    expect((await versions.current(['day:a:2026-11-01']))?.[0]).toBeGreaterThan(before);
  });

  it('gives no versions while Redis is unreachable or a bump of its own waits for it', async () => {
    jest.useFakeTimers();
    try {
      const backend = new MemoryCacheBackend();
      const versions = new DataVersions(backend, () => 1_000);
      await versions.current(['day:a:2026-11-01']);
      backend.down = true;
      expect(await versions.current(['day:a:2026-11-01'])).toBeUndefined();
      await versions.bump('day:a:2026-11-01');
      expect(versions.pendingBumps).toBe(1);
      backend.down = false;
      // Redis is back, but the bump has not reached it yet: copies must still not be used.
      expect(await versions.current(['day:a:2026-11-01'])).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(versions.pendingBumps).toBe(0);
      expect(await versions.current(['day:a:2026-11-01'])).toEqual([1_001]);
    } finally {
      jest.useRealTimers();
    }
  });
});
