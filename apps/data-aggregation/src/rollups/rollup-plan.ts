import { ResultStatus, durationBucket } from '@testpulse/domain';
import { DayStats, SnapshotScope, snapshotId } from './schemas/metric-snapshot.schema';

export interface RollupInput {
  suite: string;
  status: ResultStatus;
  flaky: boolean;
  durationMs: number;
  fingerprint?: string;
}

export interface BucketDelta {
  id: string;
  project: string;
  day: string;
  scope: SnapshotScope;
  key: string;
  stats: DayStats;
  /** Project bucket only: the suites the run touched (the day's index lists the day's suite buckets). */
  suites?: string[];
  /** Project bucket only: the fingerprints of the run's failures (for the day's index). */
  fingerprints?: string[];
}

export function emptyStats(): DayStats {
  return {
    tests: 0,
    passed: 0,
    failed: 0,
    errored: 0,
    skipped: 0,
    flaky: 0,
    durationCount: 0,
    durationSum: 0,
    hist: {},
  };
}

function add(stats: DayStats, result: RollupInput): void {
  stats.tests += 1;
  stats[result.status] += 1;
  if (result.flaky) stats.flaky += 1;
  if (result.status === 'skipped') return;
  stats.durationCount += 1;
  stats.durationSum += result.durationMs;
  stats.durationMin = Math.min(stats.durationMin ?? Infinity, result.durationMs);
  stats.durationMax = Math.max(stats.durationMax ?? -Infinity, result.durationMs);
  const bucket = `h${durationBucket(result.durationMs)}`;
  stats.hist[bucket] = (stats.hist[bucket] ?? 0) + 1;
}

/** The increments one run makes to its day's project and suite buckets. */
export function planRollups(project: string, day: string, results: readonly RollupInput[]): BucketDelta[] {
  const buckets = new Map<string, BucketDelta>();
  const bucket = (scope: SnapshotScope, key: string): BucketDelta => {
    const id = snapshotId(project, day, scope, key);
    let delta = buckets.get(id);
    if (!delta) buckets.set(id, (delta = { id, project, day, scope, key, stats: emptyStats() }));
    return delta;
  };
  for (const result of results) {
    add(bucket('project', '').stats, result);
    add(bucket('suite', result.suite).stats, result);
  }
  const all = [...buckets.values()];
  const projectDelta = all.find((delta) => delta.scope === 'project');
  if (projectDelta) {
    projectDelta.suites = all.filter((d) => d.scope === 'suite').map((d) => d.key);
    const fingerprints = new Set<string>();
    for (const result of results)
      if ((result.status === 'failed' || result.status === 'errored') && result.fingerprint)
        fingerprints.add(result.fingerprint);
    projectDelta.fingerprints = [...fingerprints];
  }
  return all;
}

/** The update operators that add `stats` (under `prefix`, a path ending in a dot, if given). */
export function statsUpdate(
  stats: DayStats,
  prefix = '',
): {
  $inc: Record<string, number>;
  $min: Record<string, number>;
  $max: Record<string, number>;
} {
  const { hist, durationMin, durationMax, ...counters } = stats;
  const $inc: Record<string, number> = {};
  for (const [field, value] of Object.entries(counters)) if (value !== 0) $inc[`${prefix}${field}`] = value;
  for (const [bucket, n] of Object.entries(hist)) $inc[`${prefix}hist.${bucket}`] = n;
  const $min: Record<string, number> =
    durationMin === undefined ? {} : { [`${prefix}durationMin`]: durationMin };
  const $max: Record<string, number> =
    durationMax === undefined ? {} : { [`${prefix}durationMax`]: durationMax };
  return { $inc, $min, $max };
}
