import { ResultStatus, durationBucket } from '@testpulse/domain';
import { SnapshotScope, snapshotId } from './schemas/metric-snapshot.schema';

export interface RollupInput {
  testId: string;
  suite: string;
  status: ResultStatus;
  flaky: boolean;
  durationMs: number;
  /** The outcome flipped between pass and fail against the test's previous run. */
  flip: boolean;
}

export interface BucketDelta {
  id: string;
  project: string;
  day: string;
  scope: SnapshotScope;
  key: string;
  suite?: string;
  counts: {
    tests: number;
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    flaky: number;
    flips: number;
  };
  durationCount: number;
  durationSum: number;
  durationMin?: number;
  durationMax?: number;
  hist: Record<string, number>;
}

function emptyDelta(
  project: string,
  day: string,
  scope: SnapshotScope,
  key: string,
  suite?: string,
): BucketDelta {
  return {
    id: snapshotId(project, day, scope, key),
    project,
    day,
    scope,
    key,
    ...(suite === undefined ? {} : { suite }),
    counts: { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, flips: 0 },
    durationCount: 0,
    durationSum: 0,
    hist: {},
  };
}

function add(delta: BucketDelta, result: RollupInput): void {
  delta.counts.tests += 1;
  delta.counts[result.status] += 1;
  if (result.flaky) delta.counts.flaky += 1;
  if (result.flip) delta.counts.flips += 1;
  if (result.status === 'skipped') return;
  delta.durationCount += 1;
  delta.durationSum += result.durationMs;
  delta.durationMin = Math.min(delta.durationMin ?? Infinity, result.durationMs);
  delta.durationMax = Math.max(delta.durationMax ?? -Infinity, result.durationMs);
  const bucket = `h${durationBucket(result.durationMs)}`;
  delta.hist[bucket] = (delta.hist[bucket] ?? 0) + 1;
}

/** The increments one run makes to its day's project, suite and test buckets. */
export function planRollups(project: string, day: string, results: Iterable<RollupInput>): BucketDelta[] {
  const buckets = new Map<string, BucketDelta>();
  const bucket = (scope: SnapshotScope, key: string, suite?: string): BucketDelta => {
    const id = snapshotId(project, day, scope, key);
    let delta = buckets.get(id);
    if (!delta) buckets.set(id, (delta = emptyDelta(project, day, scope, key, suite)));
    return delta;
  };
  for (const result of results) {
    add(bucket('project', ''), result);
    add(bucket('suite', result.suite, result.suite), result);
    add(bucket('test', result.testId, result.suite), result);
  }
  return [...buckets.values()];
}
