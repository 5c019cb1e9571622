import { DataVersions, MemoryCacheBackend } from '@testpulse/cache';
import { dayDataVersion } from '@testpulse/contracts';
import { SharedAnalyses } from './shared-analyses';

/** A computation that waits until released, counting its starts. */
function gated() {
  let starts = 0;
  const releases: Array<() => void> = [];
  const compute = () => {
    starts += 1;
    const n = starts;
    return new Promise<number>((resolve) => releases.push(() => resolve(n)));
  };
  return { compute, releases, starts: () => starts };
}

describe('SharedAnalyses', () => {
  const span = { from: '2026-11-26', to: '2026-11-28' };
  const request = { project: 'web', days: 3 };

  it('shares a running analysis with identical requests over the same day versions', async () => {
    const backend = new MemoryCacheBackend();
    const versions = new DataVersions(backend);
    const shared = new SharedAnalyses(versions);
    const { compute, releases, starts } = gated();

    const first = shared.run('flakiness', request, span, compute);
    const second = shared.run('flakiness', { ...request }, span, compute);
    // Another analysis, project or span computes on its own.
    const other = shared.run('trends', request, span, compute);
    const otherSpan = shared.run('flakiness', request, { ...span, from: '2026-11-27' }, compute);
    await new Promise((resolve) => setImmediate(resolve));
    expect(starts()).toBe(3);

    // A run of a day in the span lands: the next request computes again, from the new data.
    await versions.bump(dayDataVersion('web', '2026-11-27'));
    const third = shared.run('flakiness', request, span, compute);
    await new Promise((resolve) => setImmediate(resolve));
    expect(starts()).toBe(4);
    // A day outside the span changes nothing.
    await versions.bump(dayDataVersion('web', '2026-11-20'));
    const fourth = shared.run('flakiness', request, span, compute);
    await new Promise((resolve) => setImmediate(resolve));
    expect(starts()).toBe(4);

    releases.forEach((release) => release());
    expect(await Promise.all([first, second, other, otherSpan, third, fourth])).toEqual([1, 1, 2, 3, 4, 4]);
    // Nothing is kept once done.
    const again = shared.run('flakiness', request, span, compute);
    await new Promise((resolve) => setImmediate(resolve));
    releases[4]();
    expect(await again).toBe(5);
  });

  it('computes every request when the versions cannot be read', async () => {
    const backend = new MemoryCacheBackend();
    const shared = new SharedAnalyses(new DataVersions(backend));
    backend.down = true;
    const { compute, releases, starts } = gated();
    const both = [
      shared.run('metrics', request, span, compute),
      shared.run('metrics', request, span, compute),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    expect(starts()).toBe(2);
    releases.forEach((release) => release());
    expect(await Promise.all(both)).toEqual([1, 2]);
  });

  it('passes a failure on to every request that shared it, and the next one computes again', async () => {
    const shared = new SharedAnalyses(new DataVersions(new MemoryCacheBackend()));
    let fail: (error: Error) => void = () => undefined;
    const failing = () => new Promise<number>((_, reject) => (fail = reject));
    const both = [shared.run('trends', request, span, failing), shared.run('trends', request, span, failing)];
    await new Promise((resolve) => setImmediate(resolve));
    fail(new Error('history unavailable'));
    const results = await Promise.allSettled(both);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await shared.run('trends', request, span, async () => 7)).toBe(7);
  });
});
