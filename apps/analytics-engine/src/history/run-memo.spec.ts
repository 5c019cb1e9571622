import { AnalyticsEngineEnv } from '../env';
import { RunMemo } from './run-memo';
import { StatesPiece } from './states-window';

function piece(runId: string, day: string, count: number): StatesPiece {
  return {
    run: {
      runId,
      day,
      startedAt: `${day}T10:00:00.000Z`,
      status: 'finished',
      summary: { tests: count, passed: count, failed: 0, errored: 0, skipped: 0, flaky: 0, durationMs: 1 },
      time: Date.parse(`${day}T10:00:00.000Z`),
      failingShare: 0,
      examples: new Map(),
    },
    columns: {
      count,
      ordinal: new Uint32Array(count),
      status: new Uint8Array(count),
      flaky: new Uint8Array(count),
      fingerprints: new Map(),
    },
  };
}

describe('RunMemo', () => {
  it('gives the held runs of a project within a window of days', () => {
    const memo = new RunMemo();
    memo.put('states', 'p', 'r1', '2026-11-01', piece('r1', '2026-11-01', 10));
    memo.put('states', 'p', 'r2', '2026-11-20', piece('r2', '2026-11-20', 10));
    memo.put('states', 'q', 'r3', '2026-11-20', piece('r3', '2026-11-20', 10));
    memo.put('outcomes', 'p', 'r4', '2026-11-20', { run: piece('r4', '2026-11-20', 1).run, parts: [] });
    expect([...memo.within('states', 'p', '2026-11-10', '2026-11-30').keys()]).toEqual(['r2']);
    expect([...memo.within('states', 'p', '2026-11-01', '2026-11-30').keys()].sort()).toEqual(['r1', 'r2']);
    expect([...memo.within('outcomes', 'p', '2026-11-01', '2026-11-30').keys()]).toEqual(['r4']);
  });

  it('forgets the least recently used runs beyond its memory, index included', () => {
    const env = Object.assign(new AnalyticsEngineEnv(), { RUN_MEMO_MB: 1 });
    const memo = new RunMemo(env);
    // About 600 KB each: the second pushes the first out.
    memo.put('states', 'p', 'r1', '2026-11-01', piece('r1', '2026-11-01', 100_000));
    memo.put('states', 'p', 'r2', '2026-11-02', piece('r2', '2026-11-02', 100_000));
    expect([...memo.within('states', 'p', '2026-11-01', '2026-11-30').keys()]).toEqual(['r2']);
    expect(memo.size).toBe(1);
  });
});
