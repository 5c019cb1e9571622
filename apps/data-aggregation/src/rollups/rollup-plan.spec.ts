import { planRollups } from './rollup-plan';

describe('planRollups', () => {
  it('adds each result to its project, suite and test bucket', () => {
    const deltas = planRollups('shop', '2026-11-27', [
      { testId: 't1', suite: 'cart', status: 'passed', flaky: false, durationMs: 3, flip: false },
      { testId: 't2', suite: 'cart', status: 'failed', flaky: false, durationMs: 1000, flip: true },
      { testId: 't3', suite: 'pay', status: 'skipped', flaky: false, durationMs: 0, flip: false },
      { testId: 't1', suite: 'cart', status: 'passed', flaky: true, durationMs: 5, flip: false },
    ]);
    const byId = new Map(deltas.map((d) => [d.id, d]));
    expect(deltas).toHaveLength(1 + 2 + 3);

    const project = byId.get('shop|2026-11-27|project|');
    expect(project?.counts).toEqual({
      tests: 4,
      passed: 2,
      failed: 1,
      errored: 0,
      skipped: 1,
      flaky: 1,
      flips: 1,
    });
    // Skipped tests do not enter duration statistics.
    expect(project).toEqual(
      expect.objectContaining({ durationCount: 3, durationSum: 1008, durationMin: 3, durationMax: 1000 }),
    );
    expect(project?.hist).toEqual({ h2: 1, h3: 1, h10: 1 });

    expect(byId.get('shop|2026-11-27|suite|cart')?.counts.tests).toBe(3);
    expect(byId.get('shop|2026-11-27|suite|pay')?.durationCount).toBe(0);
    const t1 = byId.get('shop|2026-11-27|test|t1');
    expect(t1).toEqual(expect.objectContaining({ scope: 'test', key: 't1', suite: 'cart', durationSum: 8 }));
    expect(t1?.counts).toEqual(expect.objectContaining({ tests: 2, passed: 2, flaky: 1 }));
  });
});
