import { Injectable, Logger } from '@nestjs/common';
import { ANALYTICS_LIMITS, FailureClusterView, PatternsRequestDto, PatternsView } from '@testpulse/contracts';
import { HistoryClient, Window, windowOf } from '../history/history.client';
import { StatesWindow } from '../history/states-window';

/** Clusters that get an example failure (one lookup each), the largest first, by default. */
const EXAMPLES = ANALYTICS_LIMITS.maxExamples;
/** Tests listed per cluster (testCount has them all). */
const TESTS_LISTED = 20;
const DAY_MS = 24 * 3600 * 1000;

interface Cluster {
  fingerprint: string;
  count: number;
  /** Catalogue ordinals. */
  tests: Set<number>;
  branches: Set<string>;
  firstSeen: string;
  lastSeen: string;
  lastRunId: string;
  /** The stored result that exemplifies the fingerprint in the last run, when its states name one. */
  lastResultId?: string;
  example?: FailureClusterView['example'];
}

function clusterFailures(history: StatesWindow): Map<string, Cluster> {
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
    cluster.tests.add(history.ordinals[history.testAt(position)]);
    if (run.branch) cluster.branches.add(run.branch);
    if (run.startedAt < cluster.firstSeen) cluster.firstSeen = run.startedAt;
    if (run.startedAt >= cluster.lastSeen) {
      cluster.lastSeen = run.startedAt;
      cluster.lastRunId = run.runId;
      cluster.lastResultId = run.examples.get(fingerprint);
    }
  }
  return clusters;
}

/** The window before a patterns window (starting `from`): its fingerprints tell which clusters are new. */
export function windowBefore(days: number, from: string): { from: string; to: string } {
  return windowOf(
    Math.min(days, ANALYTICS_LIMITS.maxDays),
    new Date(Date.parse(`${from}T00:00:00Z`) - DAY_MS),
  );
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
    const before = windowBefore(days, from);
    const [history, seenBefore] = await Promise.all([
      this.history.statesWindow({ project: request.project, from, to }),
      this.fingerprintsIn({ project: request.project, ...before }),
    ]);
    const all = [...clusterFailures(history).values()].sort(
      (a, b) => b.count - a.count || a.fingerprint.localeCompare(b.fingerprint),
    );
    const clusters = request.limit === undefined ? all : all.slice(0, request.limit);
    const listed = clusters.map((cluster) => [...cluster.tests].slice(0, TESTS_LISTED));
    const [catalogue] = await Promise.all([
      this.history.catalogueByOrdinal(request.project, [...new Set(listed.flat())]),
      this.addExamples(request.project, clusters.slice(0, request.examples ?? EXAMPLES)),
    ]);
    const views: FailureClusterView[] = clusters.map((cluster, index) => ({
      fingerprint: cluster.fingerprint,
      count: cluster.count,
      testCount: cluster.tests.size,
      tests: listed[index].map((ordinal) => ({
        testId: catalogue.get(ordinal)?.testId ?? '',
        suite: catalogue.get(ordinal)?.suite ?? '',
        name: catalogue.get(ordinal)?.name ?? `test #${ordinal}`,
      })),
      branches: [...cluster.branches].sort(),
      firstSeen: cluster.firstSeen,
      lastSeen: cluster.lastSeen,
      isNew: !seenBefore.has(cluster.fingerprint),
      ...(cluster.example ? { example: cluster.example } : {}),
    }));
    return {
      project: request.project,
      from,
      to,
      failures: all.reduce((sum, c) => sum + c.count, 0),
      clusterCount: all.length,
      newClusterCount: all.filter((cluster) => !seenBefore.has(cluster.fingerprint)).length,
      clusters: views,
    };
  }

  /**
   * The fingerprints of a window's failures: from its days' indexes, which list them; a window with
   * days rolled up before they did reads its runs' states instead.
   */
  private async fingerprintsIn(window: Window): Promise<Set<string>> {
    const listed = await this.history.failureFingerprints(window);
    if (listed.complete) return new Set(listed.fingerprints);
    return new Set((await this.history.statesWindow(window)).fingerprints.values());
  }

  /** An example failure (message and stack) for each cluster, from the raw results of its last run. */
  private async addExamples(project: string, clusters: Cluster[]): Promise<void> {
    await Promise.all(
      clusters.map(async (cluster) => {
        try {
          const example = await this.history.failureExample(
            project,
            cluster.lastRunId,
            cluster.fingerprint,
            cluster.lastResultId,
          );
          cluster.example = {
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
  }
}
