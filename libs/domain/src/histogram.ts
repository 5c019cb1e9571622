/**
 * Log-scale duration histogram: bucket 0 holds durations under 1 ms, bucket i (1..31) holds
 * [2^(i-1), 2^i) ms. 32 buckets reach 2^31 ms (about 25 days). Percentiles are read from the buckets.
 */
export const HISTOGRAM_BUCKETS = 32;

export function durationBucket(durationMs: number): number {
  if (!(durationMs >= 1)) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, Math.floor(Math.log2(durationMs)) + 1);
}

/** Lower and upper bound (ms) of a bucket. */
export function bucketBounds(bucket: number): [number, number] {
  return bucket === 0 ? [0, 1] : [2 ** (bucket - 1), 2 ** bucket];
}
