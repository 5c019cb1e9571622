import { planRollups, statsUpdate } from './rollup-plan';

describe('planRollups', () => {
  const plan = planRollups('shop', '2026-11-27', [
    { suite: 'cart', status: 'passed', flaky: false, durationMs: 3 },
    { suite: 'cart', status: 'failed', flaky: false, durationMs: 1000 },
    { suite: 'pay', status: 'skipped', flaky: false, durationMs: 0 },
    { suite: 'cart', status: 'passed', flaky: true, durationMs: 5 },
  ]);
  const byId = new Map(plan.map((d) => [d.id, d]));

  it('adds each result to its project and suite bucket', () => {
    expect([...byId.keys()].sort()).toEqual([
      'shop|2026-11-27|project|',
      'shop|2026-11-27|suite|cart',
      'shop|2026-11-27|suite|pay',
    ]);
    const project = byId.get('shop|2026-11-27|project|');
    expect(project?.stats).toEqual(
      expect.objectContaining({ tests: 4, passed: 2, failed: 1, errored: 0, skipped: 1, flaky: 1 }),
    );
    // Skipped tests do not enter duration statistics.
    expect(project?.stats).toEqual(
      expect.objectContaining({ durationCount: 3, durationSum: 1008, durationMin: 3, durationMax: 1000 }),
    );
    expect(project?.stats.hist).toEqual({ h2: 1, h3: 1, h10: 1 });
    expect(byId.get('shop|2026-11-27|suite|cart')?.stats.tests).toBe(3);
    expect(project?.suites).toEqual(['cart', 'pay']);
    expect(byId.get('shop|2026-11-27|suite|pay')?.stats.durationCount).toBe(0);
  });

  it('turns counters into $inc, $min and $max, leaving zeros out', () => {
    const cart = byId.get('shop|2026-11-27|suite|cart');
    expect(cart && statsUpdate(cart.stats)).toEqual({
      $inc: {
        tests: 3,
        passed: 2,
        failed: 1,
        flaky: 1,
        durationCount: 3,
        durationSum: 1008,
        'hist.h2': 1,
        'hist.h3': 1,
        'hist.h10': 1,
      },
      $min: { durationMin: 3 },
      $max: { durationMax: 1000 },
    });
  });
});
