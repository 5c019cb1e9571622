import { Injectable, Logger } from '@nestjs/common';
import { ANALYTICS_LIMITS, FailureClusterView, PatternsRequestDto, PatternsView } from '@testpulse/contracts';
import { HistoryClient, windowOf } from '../history/history.client';
import { OutcomeWindow } from '../history/outcome-window';

/** Clusters that get an example failure (one lookup each), the largest first. */
const EXAMPLES = 20;
/** Tests listed per cluster (testCount has them all). */
const TESTS_LISTED = 20;
const DAY_MS = 24 * 3600 * 1000;

interface Cluster {
  fingerprint: string;
  count: number;
  tests: Set<string>;
  branches: Set<string>;
  firstSeen: string;
  lastSeen: string;
  lastRunId: string;
}

function clusterFailures(history: OutcomeWindow): Map<string, Cluster> {
  const clusters = new Map<string, Cluster>();
  for (const [position, fingerprint] of history.fingerprints) {
    const run = history.runs[history.run[position]];
    let cluster = clusters.get(fingerprint);
    if (!cluster) {
      cluster = {
        fingerprint,
        count: 0,
        tests: new Set(),
        branches: new Set(),
        firstSeen: run.startedAt,
        lastSeen: run.startedAt,
        lastRunId: run.runId,
      };
      clusters.set(fingerprint, cluster);
    }
    cluster.count += 1;
    cluster.tests.add(history.testIds[history.testAt(position)]);
    if (run.branch) cluster.branches.add(run.branch);
    if (run.startedAt < cluster.firstSeen) cluster.firstSeen = run.startedAt;
    if (run.startedAt >= cluster.lastSeen) {
      cluster.lastSeen = run.startedAt;
      cluster.lastRunId = run.runId;
    }
  }
  return clusters;
}

/**
 * Failures clustered by fingerprint (the normalised message and top stack frames, computed at
 * ingest). A cluster is new when it did not occur in the window of the same length before.
 */
@Injectable()
export class PatternsService {
  private readonly logger = new Logger(PatternsService.name);

  constructor(private readonly history: HistoryClient) {}

  async patterns(request: PatternsRequestDto): Promise<PatternsView> {
    const days = request.days ?? ANALYTICS_LIMITS.defaultDays;
    const { from, to } = windowOf(days);
    const before = windowOf(
      Math.min(days, ANALYTICS_LIMITS.maxDays),
      new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS),
    );
    const [history, seenBefore, catalogue] = await Promise.all([
      this.history.outcomeWindow({ project: request.project, from, to }),
      this.history.fingerprintsIn({ project: request.project, ...before }),
      this.history.catalogue(request.project),
    ]);
    const clusters = [...clusterFailures(history).values()].sort(
      (a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint),
    );
    const views: FailureClusterView[] = clusters.map((cluster) => ({
      fingerprint: cluster.fingerprint,
      count: cluster.count,
      testCount: cluster.tests.size,
      tests: [...cluster.tests].slice(0, TESTS_LISTED).map((testId) => ({
        testId,
        suite: catalogue.get(testId)?.suite ?? '',
        name: catalogue.get(testId)?.name ?? testId,
      })),
      branches: [...cluster.branches].sort(),
      firstSeen: cluster.firstSeen,
      lastSeen: cluster.lastSeen,
      isNew: !seenBefore.has(cluster.fingerprint),
    }));
    await Promise.all(
      clusters.slice(0, EXAMPLES).map(async (cluster, index) => {
        try {
          const example = await this.history.failureExample(
            request.project,
            cluster.lastRunId,
            cluster.fingerprint,
          );
          views[index].example = {
            runId: example.runId,
            testId: example.testId,
            name: example.name,
            ...example.error,
          };
        } catch (error) {
          // Raw results expire before rollups: a cluster can outlive its examples.
          this.logger.debug({ fingerprint: cluster.fingerprint, err: error }, 'no example failure');
        }
      }),
    );
    return {
      project: request.project,
      from,
      to,
      failures: clusters.reduce((sum, c) => sum + c.count, 0),
      clusters: views,
    };
  }
}
