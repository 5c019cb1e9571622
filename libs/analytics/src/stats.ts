/**
 * Small statistics for test analytics: intervals for rates, trends with a confidence interval, a
 * control chart for daily failure rates, percentiles read from the log2 duration histogram of the
 * rollups, and exponential smoothing. Pure functions; docs/analytics.md explains each with numbers.
 */
import { HISTOGRAM_BUCKETS, bucketBounds } from '@testpulse/domain';

export interface RateInterval {
  /** successes / n (0 when n is 0). */
  rate: number;
  low: number;
  high: number;
}

/**
 * Wilson score interval of a proportion: unlike rate ± z·sqrt(rate(1−rate)/n) it stays inside [0, 1]
 * and is not zero-width at 0 % or 100 %, so a day with 3 of 3 passing reads as "somewhere above 44 %",
 * not "exactly 100 %". z = 1.96 gives 95 %. n = 0 says nothing: rate 0, interval [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): RateInterval {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`wilsonInterval: n must be >= 0, got ${n}`);
  if (!Number.isFinite(successes) || successes < 0 || successes > n)
    throw new RangeError(`wilsonInterval: successes must be in [0, n], got ${successes} of ${n}`);
  if (!(z > 0)) throw new RangeError(`wilsonInterval: z must be > 0, got ${z}`);
  if (n === 0) return { rate: 0, low: 0, high: 1 };
  const rate = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n))) / denominator;
  return { rate, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Two-sided 95 % quantiles of Student's t (t_0.975) for 1..30 degrees of freedom. */
const T_975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** t_0.975 with `df` degrees of freedom: the table for 1..30, the normal 1.96 beyond. */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) throw new RangeError(`tQuantile975: df must be >= 1, got ${df}`);
  return df <= T_975.length ? T_975[Math.floor(df) - 1] : 1.96;
}

export interface LinearTrend {
  n: number;
  /** Change of y per unit of x (per day when x is in days). */
  slope: number;
  intercept: number;
  /** 95 % confidence interval of the slope (±Infinity when it cannot be estimated). */
  slopeLow: number;
  slopeHigh: number;
  /** Share of the variance of y the line explains (1 when every point is on it). */
  r2: number;
}

/**
 * Ordinary least squares line through the points, with the 95 % confidence interval of the slope from
 * Student's t with n − 2 degrees of freedom: slope ± t · sqrt(SSE / (n − 2) / Sxx). With fewer than 3
 * points, or all x equal, the slope is not estimable and the interval is the whole line. A trend is a
 * direction only when its interval excludes 0.
 */
export function linearTrend(points: ReadonlyArray<{ x: number; y: number }>): LinearTrend {
  for (const p of points)
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y))
      throw new RangeError(`linearTrend: points must be finite, got (${p.x}, ${p.y})`);
  const n = points.length;
  if (n === 0) return { n, slope: 0, intercept: 0, slopeLow: -Infinity, slopeHigh: Infinity, r2: 0 };
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const p of points) {
    const dx = p.x - meanX;
    const dy = p.y - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) {
    return { n, slope: 0, intercept: meanY, slopeLow: -Infinity, slopeHigh: Infinity, r2: 0 };
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  // SSE = Syy − slope·Sxy; clamp the rounding error of a perfect fit.
  const sse = Math.max(0, syy - slope * sxy);
  const r2 = syy === 0 ? 1 : Math.max(0, Math.min(1, 1 - sse / syy));
  if (n < 3) return { n, slope, intercept, slopeLow: -Infinity, slopeHigh: Infinity, r2 };
  const half = tQuantile975(n - 2) * Math.sqrt(sse / (n - 2) / sxx);
  return { n, slope, intercept, slopeLow: slope - half, slopeHigh: slope + half, r2 };
}

export interface PChartPoint {
  key: string;
  /** failures / total of the day (0 on a day without executions). */
  rate: number;
  /** p̄: all failures over all executions of the chart. */
  centre: number;
  lower: number;
  upper: number;
  /** The day's failure rate is above its upper limit. */
  anomalous: boolean;
}

/**
 * Shewhart p-chart of daily failure rates. Centre p̄ = Σfailures / Σtotal; day i's limits are
 * p̄ ± sigmas · sqrt(p̄(1 − p̄) / n_i), clamped to [0, 1], so days with few executions get wider limits.
 * Only a rate above the upper limit is an anomaly: an unusually good day is not an alert.
 */
export function pChart(
  days: ReadonlyArray<{ key: string; failures: number; total: number }>,
  sigmas = 3,
): PChartPoint[] {
  if (!(sigmas > 0)) throw new RangeError(`pChart: sigmas must be > 0, got ${sigmas}`);
  let failures = 0;
  let total = 0;
  for (const day of days) {
    if (!Number.isFinite(day.total) || day.total < 0 || !(day.failures >= 0) || day.failures > day.total)
      throw new RangeError(
        `pChart: day ${day.key} needs 0 <= failures <= total, got ${day.failures}/${day.total}`,
      );
    failures += day.failures;
    total += day.total;
  }
  const centre = total > 0 ? failures / total : 0;
  return days.map((day) => {
    if (day.total === 0) return { key: day.key, rate: 0, centre, lower: 0, upper: 1, anomalous: false };
    const rate = day.failures / day.total;
    const spread = sigmas * Math.sqrt((centre * (1 - centre)) / day.total);
    const lower = Math.max(0, centre - spread);
    const upper = Math.min(1, centre + spread);
    return { key: day.key, rate, centre, lower, upper, anomalous: rate > upper };
  });
}

const BUCKET_KEY = /^h(\d+)$/;

/**
 * The p-th percentile (0 < p < 1) of durations kept as a log2 histogram (`h<i>` → count, bucket i of
 * @testpulse/domain: h0 = [0, 1) ms, h<i> = [2^(i−1), 2^i) ms). The rank p·N falls into one bucket;
 * inside it the durations are taken as spread evenly, so the value is interpolated linearly between
 * the bucket's bounds. The error is at most the bucket's width (a factor of 2). Empty → undefined.
 */
export function percentileFromHistogram(
  hist: Readonly<Record<string, number>>,
  p: number,
): number | undefined {
  if (!(p > 0 && p < 1)) throw new RangeError(`percentileFromHistogram: p must be in (0, 1), got ${p}`);
  const counts = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  let total = 0;
  for (const [key, count] of Object.entries(hist)) {
    const match = BUCKET_KEY.exec(key);
    const bucket = match ? Number(match[1]) : -1;
    if (bucket < 0 || bucket >= HISTOGRAM_BUCKETS)
      throw new RangeError(`percentileFromHistogram: '${key}' is not a bucket h0..h${HISTOGRAM_BUCKETS - 1}`);
    if (!Number.isFinite(count) || count < 0)
      throw new RangeError(`percentileFromHistogram: count of ${key} must be >= 0, got ${count}`);
    counts[bucket] += count;
    total += count;
  }
  if (total === 0) return undefined;
  const rank = p * total;
  let below = 0;
  for (let bucket = 0; bucket < HISTOGRAM_BUCKETS; bucket++) {
    const count = counts[bucket];
    if (count === 0) continue;
    if (below + count >= rank) {
      const [low, high] = bucketBounds(bucket);
      return low + ((high - low) * (rank - below)) / count;
    }
    below += count;
  }
  // Unreachable: rank < total. Kept for the type checker.
  return undefined;
}

/**
 * Exponentially weighted moving average: s_t = alpha·v_t + (1 − alpha)·s_(t−1), starting from `start`
 * (default the first value, so s_0 = v_0). Larger alpha forgets faster; 1/alpha is roughly the number
 * of recent values that matter.
 */
export function ewma(values: readonly number[], alpha: number, start?: number): number[] {
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`ewma: alpha must be in (0, 1], got ${alpha}`);
  const out: number[] = [];
  let s = start ?? values[0] ?? 0;
  for (const value of values) {
    s = alpha * value + (1 - alpha) * s;
    out.push(s);
  }
  return out;
}
