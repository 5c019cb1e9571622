/** Duration regressions: a test that suddenly takes much longer than it used to. */

export interface DurationRegressionOptions {
  /** The latest duration must exceed this multiple of the mean of the history. */
  factor: number;
  /** ...and this many milliseconds (short tests jitter by large factors without mattering). */
  minMs: number;
}

export const DEFAULT_DURATION_REGRESSION_OPTIONS: Readonly<DurationRegressionOptions> = Object.freeze({
  factor: 5,
  minMs: 500,
});

export interface DurationRegression {
  regressed: boolean;
  latest: number;
  /** Mean of the history (0 without history). */
  mean: number;
  /** Longest duration of the history (0 without history). */
  previousMax: number;
  /** latest / mean (0 when the mean is 0). */
  factor: number;
}

/**
 * Did the latest execution regress? Yes when it took more than `factor` × the mean of the earlier
 * durations, more than any of them, and more than `minMs`: all three, so that one slow outlier in the
 * history, a slow-but-usual test and a 2 ms → 11 ms jitter are not reported. No history, no verdict.
 */
export function durationRegression(
  history: readonly number[],
  latest: number,
  options: Partial<DurationRegressionOptions> = {},
): DurationRegression {
  const o = { ...DEFAULT_DURATION_REGRESSION_OPTIONS, ...options };
  if (!(o.factor > 0)) throw new RangeError(`durationRegression: factor must be > 0, got ${o.factor}`);
  if (!(o.minMs >= 0)) throw new RangeError(`durationRegression: minMs must be >= 0, got ${o.minMs}`);
  for (const value of [...history, latest])
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`durationRegression: durations must be finite and >= 0, got ${value}`);
  if (history.length === 0) return { regressed: false, latest, mean: 0, previousMax: 0, factor: 0 };
  const mean = history.reduce((sum, d) => sum + d, 0) / history.length;
  const previousMax = history.reduce((max, d) => Math.max(max, d), 0);
  const regressed = latest > o.factor * mean && latest > previousMax && latest > o.minMs;
  return { regressed, latest, mean, previousMax, factor: mean > 0 ? latest / mean : 0 };
}
