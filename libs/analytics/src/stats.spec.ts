import { ewma, linearTrend, pChart, percentileFromHistogram, tQuantile975, wilsonInterval } from './stats';

describe('wilsonInterval', () => {
  it('matches the hand computation for 8 of 10', () => {
    // p = 0.8, n = 10, z² = 3.8416; denominator = 1 + z²/n = 1.38416
    // centre = (p + z²/2n) / 1.38416 = (0.8 + 0.19208) / 1.38416 = 0.716738
    // half = z·sqrt(p(1−p)/n + z²/4n²) / 1.38416 = 1.96·sqrt(0.016 + 0.009604) / 1.38416
    //      = 1.96·0.160012 / 1.38416 = 0.226581  →  [0.490157, 0.943319]
    const { rate, low, high } = wilsonInterval(8, 10);
    expect(rate).toBe(0.8);
    expect(low).toBeCloseTo(0.490157, 5);
    expect(high).toBeCloseTo(0.943319, 5);
  });

  it('is not zero-width at 0 % or 100 % and stays inside [0, 1]', () => {
    // 0 of 5: centre = (0 + 3.8416/10) / 1.76832 = 0.217245, half = 1.96·sqrt(3.8416/100) / 1.76832
    //       = 0.38416 / 1.76832 = 0.217245  →  [0, 0.434491]
    expect(wilsonInterval(0, 5)).toEqual({ rate: 0, low: 0, high: expect.closeTo(0.434491, 5) });
    // 3 of 3: centre = (1 + 3.8416/6) / 2.280533 = 0.719249, half = 1.96·sqrt(3.8416/36) / 2.280533
    //       = 0.640267 / 2.280533 = 0.280753  →  [0.438496, 1]
    const all = wilsonInterval(3, 3);
    expect(all.low).toBeCloseTo(0.438496, 5);
    expect(all.high).toBe(1);
  });

  it('says nothing without executions and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: 0, low: 0, high: 1 });
    expect(() => wilsonInterval(4, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 3)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 3, 0)).toThrow(RangeError);
  });
});

describe('linearTrend', () => {
  it('fits the least-squares line with a t-based 95 % interval of the slope', () => {
    // x = 1..5, y = 2, 4, 5, 4, 5: mean x = 3, mean y = 4
    // dx = −2 −1 0 1 2, dy = −2 0 1 0 1: Sxx = 10, Sxy = 4 + 2 = 6, Syy = 4 + 1 + 1 = 6
    // slope = 6/10 = 0.6, intercept = 4 − 0.6·3 = 2.2
    // SSE = Syy − slope·Sxy = 6 − 3.6 = 2.4, r² = 1 − 2.4/6 = 0.6
    // SE = sqrt(2.4 / (5 − 2) / 10) = sqrt(0.08) = 0.282843; t(3 df) = 3.182; half = 0.900006
    const trend = linearTrend([
      { x: 1, y: 2 },
      { x: 2, y: 4 },
      { x: 3, y: 5 },
      { x: 4, y: 4 },
      { x: 5, y: 5 },
    ]);
    expect(trend.n).toBe(5);
    expect(trend.slope).toBeCloseTo(0.6, 10);
    expect(trend.intercept).toBeCloseTo(2.2, 10);
    expect(trend.r2).toBeCloseTo(0.6, 10);
    expect(trend.slopeLow).toBeCloseTo(0.6 - 0.900006, 5);
    expect(trend.slopeHigh).toBeCloseTo(0.6 + 0.900006, 5);
  });

  it('gives a zero-width interval for points on a line, and the whole line below 3 points', () => {
    // y = 3 − 0.5x exactly: SSE = 0, so the interval is the slope itself.
    const exact = linearTrend([0, 1, 2, 3].map((x) => ({ x, y: 3 - 0.5 * x })));
    expect(exact.slope).toBeCloseTo(-0.5, 12);
    expect(exact.slopeLow).toBeCloseTo(-0.5, 12);
    expect(exact.slopeHigh).toBeCloseTo(-0.5, 12);
    expect(exact.r2).toBe(1);
    // Two points: slope (3 − 1)/(1 − 0) = 2, intercept 1, no degrees of freedom left for an interval.
    expect(
      linearTrend([
        { x: 0, y: 1 },
        { x: 1, y: 3 },
      ]),
    ).toEqual({ n: 2, slope: 2, intercept: 1, slopeLow: -Infinity, slopeHigh: Infinity, r2: 1 });
    expect(linearTrend([])).toEqual({
      n: 0,
      slope: 0,
      intercept: 0,
      slopeLow: -Infinity,
      slopeHigh: Infinity,
      r2: 0,
    });
    // All x equal: no slope can be estimated.
    const vertical = linearTrend([1, 2, 3].map((y) => ({ x: 4, y })));
    expect(vertical).toEqual({
      n: 3,
      slope: 0,
      intercept: 2,
      slopeLow: -Infinity,
      slopeHigh: Infinity,
      r2: 0,
    });
    expect(() => linearTrend([{ x: NaN, y: 1 }])).toThrow(RangeError);
  });

  it('reads t from the table up to 30 degrees of freedom and uses 1.96 beyond', () => {
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(10)).toBe(2.228);
    expect(tQuantile975(30)).toBe(2.042);
    expect(tQuantile975(31)).toBe(1.96);
    expect(() => tQuantile975(0)).toThrow(RangeError);
  });
});

describe('pChart', () => {
  it('marks a day above its upper limit, and only high rates', () => {
    // Σfailures = 50 + 10 + 60 = 120, Σtotal = 300: p̄ = 0.4
    // n = 100: 3·sqrt(0.4·0.6/100) = 3·0.0489898 = 0.146969 → limits [0.253031, 0.546969]
    // Y (0.10) is below the lower limit but is a good day, not an anomaly; Z (0.60) is above.
    const chart = pChart([
      { key: 'X', failures: 50, total: 100 },
      { key: 'Y', failures: 10, total: 100 },
      { key: 'Z', failures: 60, total: 100 },
    ]);
    for (const point of chart) {
      expect(point.centre).toBeCloseTo(0.4, 12);
      expect(point.lower).toBeCloseTo(0.253031, 5);
      expect(point.upper).toBeCloseTo(0.546969, 5);
    }
    expect(chart.map((p) => [p.key, p.rate, p.anomalous])).toEqual([
      ['X', 0.5, false],
      ['Y', 0.1, false],
      ['Z', 0.6, true],
    ]);
  });

  it('clamps limits to [0, 1], widens them for small days and ignores empty days', () => {
    // Σ = 20 / 400: p̄ = 0.05. n = 100: 3·sqrt(0.05·0.95/100) = 0.0653835 → [0 (clamped), 0.1153835]
    // n = 25: 3·sqrt(0.0475/25) = 0.130767 → upper 0.180767, so 4 of 25 (0.16) is not an anomaly.
    const chart = pChart([
      { key: 'a', failures: 1, total: 100 },
      { key: 'b', failures: 0, total: 100 },
      { key: 'c', failures: 15, total: 175 },
      { key: 'd', failures: 4, total: 25 },
      { key: 'e', failures: 0, total: 0 },
    ]);
    expect(chart[0].centre).toBeCloseTo(0.05, 12);
    expect(chart[0].lower).toBe(0);
    expect(chart[0].upper).toBeCloseTo(0.1153835, 6);
    expect(chart[3].upper).toBeCloseTo(0.180767, 5);
    expect(chart[3].anomalous).toBe(false);
    expect(chart[4]).toEqual({ key: 'e', rate: 0, centre: 0.05, lower: 0, upper: 1, anomalous: false });
    // One sigma instead of three, p̄ = 20/400 = 0.05 again: n = 25 → upper 0.05 + sqrt(0.0475/25)
    // = 0.093589, and 4 of 25 (0.16) is above it.
    const tight = pChart(
      [
        { key: 'x', failures: 16, total: 375 },
        { key: 'd', failures: 4, total: 25 },
      ],
      1,
    );
    expect(tight[1].upper).toBeCloseTo(0.093589, 5);
    expect(tight[1].anomalous).toBe(true);
    expect(pChart([])).toEqual([]);
    expect(() => pChart([{ key: 'bad', failures: 3, total: 2 }])).toThrow(RangeError);
  });
});

describe('percentileFromHistogram', () => {
  // h0 = [0, 1) ms: 2, h1 = [1, 2) ms: 2, h4 = [8, 16) ms: 6; N = 10.
  const hist = { h0: 2, h1: 2, h4: 6 };

  it('interpolates linearly inside the bucket holding the rank', () => {
    // p = 0.5: rank 5; 4 below h4, so 8 + (16 − 8)·(5 − 4)/6 = 9.3333
    expect(percentileFromHistogram(hist, 0.5)).toBeCloseTo(9.333333, 5);
    // p = 0.95: rank 9.5 → 8 + 8·5.5/6 = 15.3333
    expect(percentileFromHistogram(hist, 0.95)).toBeCloseTo(15.333333, 5);
    // p = 0.1: rank 1, inside h0 → 0 + 1·1/2 = 0.5
    expect(percentileFromHistogram(hist, 0.1)).toBeCloseTo(0.5, 12);
    // p = 0.4: rank 4, the top of h1 → 1 + 1·2/2 = 2
    expect(percentileFromHistogram(hist, 0.4)).toBeCloseTo(2, 12);
  });

  it('is undefined for an empty histogram and refuses bad input', () => {
    expect(percentileFromHistogram({}, 0.5)).toBeUndefined();
    expect(percentileFromHistogram({ h3: 0 }, 0.5)).toBeUndefined();
    expect(() => percentileFromHistogram(hist, 0)).toThrow(RangeError);
    expect(() => percentileFromHistogram(hist, 1)).toThrow(RangeError);
    expect(() => percentileFromHistogram({ x1: 3 }, 0.5)).toThrow(RangeError);
    expect(() => percentileFromHistogram({ h32: 3 }, 0.5)).toThrow(RangeError);
    expect(() => percentileFromHistogram({ h2: -1 }, 0.5)).toThrow(RangeError);
  });
});

describe('ewma', () => {
  it('smooths with s_t = alpha·v_t + (1 − alpha)·s_(t−1)', () => {
    // start = v0 = 0: 0; 0.5·10 + 0.5·0 = 5; 0.5·10 + 0.5·5 = 7.5
    expect(ewma([0, 10, 10], 0.5)).toEqual([0, 5, 7.5]);
    // start 10: 0.5·0 + 5 = 5; 0.5·10 + 2.5 = 7.5; 0.5·10 + 3.75 = 8.75
    expect(ewma([0, 10, 10], 0.5, 10)).toEqual([5, 7.5, 8.75]);
    expect(ewma([], 0.1)).toEqual([]);
    expect(() => ewma([1], 0)).toThrow(RangeError);
  });
});
