import { qualityScore } from './quality';

describe('qualityScore', () => {
  it('weighs the four components as documented', () => {
    // pass rate 0.95: (0.95 − 0.8) / 0.2 = 0.75 → 50 × 0.75 = 37.5
    // flaky share 1 %: 1 − 0.01 / 0.05 = 0.8 → 20 × 0.8 = 16
    // failure rate +0.2 points a day: 1 − 0.002 / 0.01 = 0.8 → 15 × 0.8 = 12
    // duration CV 0.1: 1 − 0.1 / 0.5 = 0.8 → 15 × 0.8 = 12
    // score = 37.5 + 16 + 12 + 12 = 77.5
    const result = qualityScore({
      passRate: 0.95,
      flakyShare: 0.01,
      failureTrendSlope: 0.002,
      durationCv: 0.1,
    });
    expect(result.score).toBeCloseTo(77.5, 10);
    expect(
      result.components.map(({ name, value, weight, points }) => ({ name, value, weight, points })),
    ).toEqual([
      { name: 'passRate', value: 0.95, weight: 50, points: expect.closeTo(37.5, 10) },
      { name: 'flakyShare', value: 0.01, weight: 20, points: expect.closeTo(16, 10) },
      { name: 'failureTrend', value: 0.002, weight: 15, points: expect.closeTo(12, 10) },
      { name: 'durationStability', value: 0.1, weight: 15, points: expect.closeTo(12, 10) },
    ]);
    for (const component of result.components) expect(component.explanation).toEqual(expect.any(String));
    expect(result.components[0].explanation).toContain('95.0 %');
  });

  it('runs from 0 to 100, rewarding a falling failure rate like a flat one', () => {
    expect(qualityScore({ passRate: 1, flakyShare: 0, failureTrendSlope: 0, durationCv: 0 }).score).toBe(100);
    expect(qualityScore({ passRate: 1, flakyShare: 0, failureTrendSlope: -0.05, durationCv: 0 }).score).toBe(
      100,
    );
    expect(
      qualityScore({ passRate: 0.5, flakyShare: 0.2, failureTrendSlope: 0.05, durationCv: 2 }).score,
    ).toBe(0);
  });

  it('takes other weights and scales, and refuses values out of range', () => {
    // Only the pass rate counts, from 0 % up: 0.9 → 100 × 0.9 = 90.
    const passOnly = qualityScore(
      { passRate: 0.9, flakyShare: 0.5, failureTrendSlope: 1, durationCv: 9 },
      { weights: { passRate: 100, flakyShare: 0, failureTrend: 0, durationStability: 0 }, passRateFloor: 0 },
    );
    expect(passOnly.score).toBeCloseTo(90, 10);
    const inputs = { passRate: 0.9, flakyShare: 0, failureTrendSlope: 0, durationCv: 0 };
    expect(() =>
      qualityScore(inputs, {
        weights: { passRate: 50, flakyShare: 20, failureTrend: 15, durationStability: 10 },
      }),
    ).toThrow(RangeError);
    expect(() => qualityScore({ ...inputs, passRate: 1.2 })).toThrow(RangeError);
    expect(() => qualityScore({ ...inputs, durationCv: -1 })).toThrow(RangeError);
    expect(() => qualityScore({ ...inputs, failureTrendSlope: NaN })).toThrow(RangeError);
  });
});
