import { LiveRuns } from '../widgets/live-runs';
import { normalConfig } from '../widgets/widget-data.service';
import { LatestWidgets, widgetKey } from './latest-widgets';
import { RecomputeScheduler } from './recompute-scheduler';

const summary = (tests: number, failed = 0) => ({
  tests,
  passed: tests - failed,
  failed,
  errored: 0,
  skipped: 0,
  flaky: 0,
  durationMs: 0,
});

describe('normalConfig and widgetKey', () => {
  it('fills defaults and drops what the type does not read, so equal widgets share a key', () => {
    expect(
      normalConfig('failure-clusters', {
        projects: ['a', 'a'],
        branch: 'main',
        suite: 's',
        kpis: ['pass-rate'],
      }),
    ).toEqual({ projects: ['a'], days: 14, limit: 10 });
    expect(
      normalConfig('kpi-tiles', { projects: ['a'], kpis: ['open-alerts', 'quality-score'] }).kpis,
    ).toEqual(['quality-score', 'open-alerts']);
    expect(widgetKey('flaky-tests', { projects: ['a'], suite: 'x' })).toBe(
      widgetKey('flaky-tests', { projects: ['a'], days: 14 }),
    );
    expect(widgetKey('flaky-tests', { projects: ['a'], branch: 'x' })).not.toBe(
      widgetKey('flaky-tests', { projects: ['a'] }),
    );
  });
});

describe('LatestWidgets', () => {
  it('pushes a version unless it was the last pushed, patched from the newest other version', () => {
    const latest = new LatestWidgets();
    const key = widgetKey('recent-runs', { projects: ['a'] });
    expect(latest.push(key, 'v1', { n: 1 })).toEqual({ base: null });
    expect(latest.push(key, 'v1', { n: 1 })).toBeUndefined();
    // Served v2 before the recomputation found it: watchers hold v1, so the base is v1.
    latest.remember('recent-runs', { projects: ['a'] }, 'v2', { n: 2 });
    expect(latest.push(key, 'v2', { n: 2 })).toEqual({ base: { version: 'v1', data: { n: 1 } } });
    expect(latest.push(key, 'v3', { n: 3 })).toEqual({ base: { version: 'v2', data: { n: 2 } } });
  });
});

describe('LiveRuns', () => {
  const config = normalConfig('recent-runs', { projects: ['a'], limit: 2 });
  it('overlays the progress of runs over the stored list, newest first, within the limit', () => {
    const live = new LiveRuns();
    const stored = {
      runs: [
        {
          project: 'a',
          runId: 'r2',
          status: 'running' as const,
          summary: summary(1),
          startedAt: '2026-11-29T10:00:00.000Z',
        },
        {
          project: 'a',
          runId: 'r1',
          status: 'finished' as const,
          summary: summary(5),
          startedAt: '2026-11-29T09:00:00.000Z',
        },
      ],
    };
    live.heard(
      { project: 'a', runId: 'r2', status: 'running', summary: summary(7, 1) },
      'progress',
      Date.parse('2026-11-29T10:01:00Z'),
    );
    live.heard(
      { project: 'b', runId: 'x', status: 'running', summary: summary(1) },
      'started',
      Date.parse('2026-11-29T10:01:00Z'),
    );
    const now = Date.parse('2026-11-29T10:02:00Z');
    expect(live.overlay(stored, config, now).runs.map((r) => [r.runId, r.summary.tests])).toEqual([
      ['r2', 7],
      ['r1', 5],
    ]);
    // A run uploaded late, started before those listed, takes its place by its start: not shown.
    live.heard(
      {
        project: 'a',
        runId: 'old',
        status: 'finished',
        summary: summary(3),
        startedAt: '2026-11-29T08:00:00.000Z',
      },
      'finished',
      now,
    );
    expect(live.overlay(stored, config, now).runs.map((r) => r.runId)).toEqual(['r2', 'r1']);
    expect(
      live.overlay(stored, { ...config, limit: 3 }, now).runs.map((r) => [r.runId, r.startedAt]),
    ).toEqual([
      ['r2', '2026-11-29T10:00:00.000Z'],
      ['r1', '2026-11-29T09:00:00.000Z'],
      ['old', '2026-11-29T08:00:00.000Z'],
    ]);
    // A new run the list does not have yet comes first; an event without its start (from an older
    // data-aggregation) places it at the time it was first heard of.
    live.heard({ project: 'a', runId: 'r3', status: 'running', summary: summary(2) }, 'started', now);
    const runs = live.overlay(stored, config, now).runs;
    expect(runs.map((r) => r.runId)).toEqual(['r3', 'r2']);
    expect(runs[0].startedAt).toBe('2026-11-29T10:02:00.000Z');
    // Events older than 15 minutes no longer count: the stored list itself is given.
    expect(live.overlay(stored, config, now + 16 * 60_000)).toBe(stored);
    // A finished run shows its end at once, for a minute (then the stored lists hold it).
    live.heard({ project: 'a', runId: 'r2', status: 'finished', summary: summary(7) }, 'finished', now);
    const ended = live.overlay(stored, config, now).runs.find((r) => r.runId === 'r2');
    expect(ended).toEqual(
      expect.objectContaining({ status: 'finished', finishedAt: new Date(now).toISOString() }),
    );
    live.heard({ project: 'a', runId: 'r3', status: 'finished', summary: summary(2) }, 'finished', now);
    expect(live.overlay(stored, config, now + 61_000)).toBe(stored);
  });
});

describe('LiveRuns after a flood of runs', () => {
  it('passes a full list through untouched when every run heard started before its last one', () => {
    const live = new LiveRuns();
    const config = normalConfig('recent-runs', { projects: ['a'], limit: 2 });
    const entry = (runId: string, startedAt: string) => ({
      project: 'a',
      runId,
      status: 'finished' as const,
      summary: summary(1),
      startedAt,
    });
    const stored = {
      runs: [entry('r2', '2026-11-29T10:00:00.000Z'), entry('r1', '2026-11-29T09:00:00.000Z')],
    };
    const now = Date.parse('2026-11-29T10:05:00Z');
    // An import of 150 older runs, all heard in the last minute.
    for (let i = 0; i < 150; i++)
      live.heard(
        {
          ...entry(`old-${i}`, `2026-11-28T${String(i % 24).padStart(2, '0')}:00:00.000Z`),
          summary: summary(2),
        },
        'finished',
        now,
      );
    expect(live.overlay(stored, config, now)).toBe(stored);
    // One that the list holds, or a newer one, still counts.
    live.heard({ ...entry('r1', '2026-11-29T09:00:00.000Z'), summary: summary(9) }, 'finished', now);
    expect(live.overlay(stored, config, now).runs.map((r) => [r.runId, r.summary.tests])).toEqual([
      ['r2', 1],
      ['r1', 9],
    ]);
    live.heard({ ...entry('r3', '2026-11-29T10:04:00.000Z'), status: 'running' }, 'started', now);
    expect(live.overlay(stored, config, now).runs.map((r) => r.runId)).toEqual(['r3', 'r2']);
  });
});

describe('RecomputeScheduler', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A scheduler whose runs wait until released, one by one; `claims` records what each claim said. */
  function held(overlap?: number) {
    const runs: number[] = [];
    const releases: Array<() => void> = [];
    const claims: Array<[number, boolean]> = [];
    const scheduler = new RecomputeScheduler<number>(
      100,
      async (_key, value, ticket) => {
        runs.push(value);
        await new Promise<void>((resolve) => releases.push(resolve));
        claims.push([value, ticket.claim()]);
      },
      undefined,
      overlap,
    );
    return { scheduler, runs, releases, claims };
  }

  it('starts at most every interval, merges triggers meanwhile, and runs once more after the last', async () => {
    const { scheduler, runs, releases, claims } = held();
    scheduler.trigger('w', 1);
    expect(runs).toEqual([1]);
    scheduler.trigger('w', 2);
    scheduler.trigger('w', 3);
    await jest.advanceTimersByTimeAsync(50);
    expect(runs).toEqual([1]);
    // The trigger does not wait for the run in progress: the next starts once the interval is over.
    await jest.advanceTimersByTimeAsync(60);
    expect(runs).toEqual([1, 3]);
    releases[0]();
    releases[1]();
    await jest.advanceTimersByTimeAsync(500);
    expect(runs).toEqual([1, 3]);
    expect(claims).toEqual([
      [1, true],
      [3, true],
    ]);
    expect(scheduler.busy).toBe(0);
    scheduler.close();
  });

  it('drops the result of a run that ends after a later-started one has published', async () => {
    const { scheduler, runs, releases, claims } = held();
    scheduler.trigger('w', 1);
    await jest.advanceTimersByTimeAsync(100);
    scheduler.trigger('w', 2);
    expect(runs).toEqual([1, 2]);
    releases[1]();
    await jest.advanceTimersByTimeAsync(0);
    releases[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(claims).toEqual([
      [2, true],
      [1, false],
    ]);
    scheduler.close();
  });

  it('has at most `overlap` runs of a key at once; the next starts when one ends', async () => {
    const { scheduler, runs, releases } = held(2);
    scheduler.trigger('w', 1);
    await jest.advanceTimersByTimeAsync(100);
    scheduler.trigger('w', 2);
    await jest.advanceTimersByTimeAsync(100);
    scheduler.trigger('w', 3);
    scheduler.trigger('w', 4);
    await jest.advanceTimersByTimeAsync(300);
    expect(runs).toEqual([1, 2]);
    // Other keys are not held up.
    scheduler.trigger('v', 9);
    expect(runs).toEqual([1, 2, 9]);
    releases[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([1, 2, 9, 4]);
    scheduler.close();
  });
});
