import { durationRegression } from './durations';

describe('durationRegression', () => {
  it('reports a latest duration above 5 × the mean, the previous maximum and 500 ms', () => {
    // mean (100 + 120 + 80) / 3 = 100, previous max 120; 600 > 500, > 5·100 = 500, > 120 → regressed
    expect(durationRegression([100, 120, 80], 600)).toEqual({
      regressed: true,
      latest: 600,
      mean: 100,
      previousMax: 120,
      factor: 6,
    });
    // 450 is not above 5 × 100.
    expect(durationRegression([100, 120, 80], 450).regressed).toBe(false);
  });

  it('ignores short tests, slow-but-usual tests and one outlier in the history', () => {
    // 10 ms → 400 ms is 40 × the mean, but under 500 ms.
    expect(durationRegression([10, 10], 400)).toEqual(
      expect.objectContaining({ regressed: false, mean: 10, factor: 40 }),
    );
    // Nine runs of 100 ms and one of 3000 ms: mean 390, 5 × 390 = 1950 < 2500, but 2500 < 3000.
    const withOutlier = durationRegression([...Array(9).fill(100), 3000], 2500);
    expect(withOutlier).toEqual(expect.objectContaining({ regressed: false, mean: 390, previousMax: 3000 }));
    // The outlier lifts the mean: 100 ×3 and 2000 → mean 575, 5 × 575 = 2875 > 1500.
    expect(durationRegression([100, 100, 100, 2000], 1500).regressed).toBe(false);
  });

  it('takes its thresholds as options and needs a history', () => {
    // factor 2, no minimum: mean 100, 250 > 200 and > 120 → regressed.
    expect(durationRegression([100, 120, 80], 250, { factor: 2, minMs: 0 }).regressed).toBe(true);
    expect(durationRegression([], 10_000)).toEqual({
      regressed: false,
      latest: 10_000,
      mean: 0,
      previousMax: 0,
      factor: 0,
    });
    expect(durationRegression([0, 0], 700)).toEqual(
      expect.objectContaining({ regressed: true, mean: 0, factor: 0 }),
    );
    expect(() => durationRegression([100, -1], 5)).toThrow(RangeError);
    expect(() => durationRegression([100], NaN)).toThrow(RangeError);
    expect(() => durationRegression([100], 5, { factor: 0 })).toThrow(RangeError);
  });
});
