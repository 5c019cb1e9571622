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
import { FAILURE_BYTES } from '@testpulse/domain';
import { ServiceClient } from '@testpulse/messaging';
import { OutcomeWindow } from './outcome-window';

/** Outcome requests in flight at once. */
const CONCURRENCY = 3;

export interface Window {
  project: string;
  from: string;
  to: string;
  branch?: string;
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
  private readonly inflight = new Map<string, Promise<OutcomeWindow>>();

  constructor(private readonly services: ServiceClient) {}

  runs(window: Window): Promise<RunHeader[]> {
    return this.services.send<RunHeader[]>(HISTORY_PATTERNS.runs, window);
  }

  /** The runs of the window with every execution of every test (see OutcomeWindow). */
  outcomeWindow(window: Window): Promise<OutcomeWindow> {
    const key = JSON.stringify([window.project, window.from, window.to, window.branch ?? null]);
    let pending = this.inflight.get(key);
    if (!pending) {
      pending = this.readOutcomeWindow(window).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  /** The failure fingerprints of the window's runs (only the small failure tables are read). */
  async fingerprintsIn(window: Window): Promise<Set<string>> {
    const runs = await this.runs(window);
    const fingerprints = new Set<string>();
    for (const view of (await this.packedOutcomes(window.project, runs, true)).values())
      for (const part of view.parts) {
        const failures = Buffer.from(part.failures, 'base64');
        for (let at = 0; at < failures.byteLength; at += FAILURE_BYTES)
          fingerprints.add(failures.toString('hex', at + 4, at + 12));
      }
    return fingerprints;
  }

  private async readOutcomeWindow(window: Window): Promise<OutcomeWindow> {
    const runs = await this.runs(window);
    return OutcomeWindow.decode(runs, await this.packedOutcomes(window.project, runs, false));
  }

  private async packedOutcomes(
    project: string,
    runs: readonly RunHeader[],
    failuresOnly: boolean,
  ): Promise<Map<string, PackedRunOutcomesView>> {
    const packed = new Map<string, PackedRunOutcomesView>();
    const chunks: string[][] = [];
    for (let i = 0; i < runs.length; i += OUTCOMES_PER_REQUEST)
      chunks.push(runs.slice(i, i + OUTCOMES_PER_REQUEST).map((run) => run.runId));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const runIds = chunks[next++];
        const views = await this.services.send<PackedRunOutcomesView[]>(HISTORY_PATTERNS.outcomes, {
          project,
          runIds,
          ...(failuresOnly ? { failuresOnly } : {}),
        });
        for (const view of views) packed.set(view.runId, view);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
    return packed;
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
