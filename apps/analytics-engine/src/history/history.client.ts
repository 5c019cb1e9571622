import { Injectable } from '@nestjs/common';
import {
  CatalogueTestView,
  DayBucketView,
  FailureExampleView,
  HISTORY_PATTERNS,
  OUTCOMES_PER_REQUEST,
  PackedRunOutcomesView,
  RollupScope,
  RunHeader,
} from '@testpulse/contracts';
import { TestOutcome, unpackOutcomes } from '@testpulse/domain';
import { ServiceClient } from '@testpulse/messaging';

/** Outcome requests in flight at once. */
const CONCURRENCY = 3;

export interface Window {
  project: string;
  from: string;
  to: string;
  branch?: string;
}

/** A run with its per-test outcomes decoded. */
export interface RunWithOutcomes extends RunHeader {
  /** Share of the run's executed (not skipped) tests that failed or errored. */
  failingShare: number;
  outcomes: TestOutcome[];
}

const DAY_MS = 24 * 3600 * 1000;

/** The last `days` UTC days up to `now`, as YYYY-MM-DD bounds. */
export function windowOf(days: number, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

/** Stored history, read from data-aggregation over the transport (never from its collections). */
@Injectable()
export class HistoryClient {
  /**
   * Decodes in progress, by window: concurrent analyses of the same window (an executive summary asks
   * for flakiness and failure patterns at once) share one read and one decoded copy. Nothing is kept
   * once the read settles.
   */
  private readonly inflight = new Map<string, Promise<RunWithOutcomes[]>>();

  constructor(private readonly services: ServiceClient) {}

  runs(window: Window): Promise<RunHeader[]> {
    return this.services.send<RunHeader[]>(HISTORY_PATTERNS.runs, window);
  }

  /** The runs of the window with their outcomes, oldest first. */
  runsWithOutcomes(window: Window): Promise<RunWithOutcomes[]> {
    const key = JSON.stringify([window.project, window.from, window.to, window.branch ?? null]);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.readRunsWithOutcomes(window).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async readRunsWithOutcomes(window: Window): Promise<RunWithOutcomes[]> {
    const runs = await this.runs(window);
    const packed = new Map<string, PackedRunOutcomesView>();
    const chunks: string[][] = [];
    for (let i = 0; i < runs.length; i += OUTCOMES_PER_REQUEST)
      chunks.push(runs.slice(i, i + OUTCOMES_PER_REQUEST).map((run) => run.runId));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const runIds = chunks[next++];
        const views = await this.services.send<PackedRunOutcomesView[]>(HISTORY_PATTERNS.outcomes, {
          project: window.project,
          runIds,
        });
        for (const view of views) packed.set(view.runId, view);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
    return runs.flatMap((run) => {
      const view = packed.get(run.runId);
      if (!view) return [];
      const outcomes = view.parts.flatMap((part) =>
        unpackOutcomes(Buffer.from(part.outcomes, 'base64'), Buffer.from(part.failures, 'base64')),
      );
      const ran = outcomes.filter((o) => o.status !== 'skipped').length;
      const failing = outcomes.filter((o) => o.status === 'failed' || o.status === 'errored').length;
      return [{ ...run, failingShare: ran > 0 ? failing / ran : 0, outcomes }];
    });
  }

  async catalogue(project: string): Promise<Map<string, CatalogueTestView>> {
    const tests = await this.services.send<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, { project });
    return new Map(tests.map((test) => [test.testId, test]));
  }

  days(window: Window, scope: RollupScope): Promise<DayBucketView[]> {
    return this.services.send<DayBucketView[]>(HISTORY_PATTERNS.days, { ...window, scope });
  }

  failureExample(project: string, runId: string, fingerprint: string): Promise<FailureExampleView> {
    return this.services.send<FailureExampleView>(HISTORY_PATTERNS.failureExample, {
      project,
      runId,
      fingerprint,
    });
  }
}
