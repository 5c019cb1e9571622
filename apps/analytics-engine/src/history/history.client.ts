import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  CATALOGUE_ORDINALS_PER_REQUEST,
  CatalogueTestView,
  DayBucketView,
  FailureExampleView,
  FailureFingerprintsView,
  HISTORY_PATTERNS,
  OUTCOMES_PER_REQUEST,
  PackedRunOutcomesView,
  RollupScope,
  RunHeader,
  RunStatesView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { AnalyticsEngineEnv } from '../env';
import { OutcomeWindow } from './outcome-window';
import { StatesWindow } from './states-window';

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

/** How long a history read may take when no env says (tests). */
const DEFAULT_HISTORY_TIMEOUT_MS = 30_000;

/** Stored history, read from data-aggregation over the transport (never from its collections). */
@Injectable()
export class HistoryClient {
  /**
   * Reads in progress, by kind and window: concurrent analyses of the same window (an executive
   * summary asks for flakiness and failure patterns at once) share one read and one decoded copy.
   * Nothing is kept once the read settles.
   */
  private readonly inflight = new Map<string, Promise<unknown>>();

  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    @Optional() @Inject(AnalyticsEngineEnv) env?: AnalyticsEngineEnv,
  ) {
    this.timeoutMs = env?.HISTORY_TIMEOUT_MS ?? DEFAULT_HISTORY_TIMEOUT_MS;
  }

  /** A read from data-aggregation, with the deadline of history reads. */
  private read<T>(pattern: string, payload: object): Promise<T> {
    return this.services.send<T>(pattern, payload, { timeoutMs: this.timeoutMs });
  }

  runs(window: Window): Promise<RunHeader[]> {
    return this.read<RunHeader[]>(HISTORY_PATTERNS.runs, window);
  }

  /** The runs of the window with every execution of every test, durations included (OutcomeWindow). */
  outcomeWindow(window: Window): Promise<OutcomeWindow> {
    return this.shared('outcomes', window, async () => {
      const runs = await this.runs(window);
      return OutcomeWindow.decode(runs, await this.packedOutcomes(window.project, runs));
    });
  }

  /** The runs of the window with every test's state: status, retry pass, fingerprint (StatesWindow). */
  statesWindow(window: Window): Promise<StatesWindow> {
    return this.shared('states', window, async () =>
      StatesWindow.decode(await this.read<RunStatesView[]>(HISTORY_PATTERNS.states, window)),
    );
  }

  private shared<T>(kind: string, window: Window, read: () => Promise<T>): Promise<T> {
    const key = JSON.stringify([kind, window.project, window.from, window.to, window.branch ?? null]);
    let pending = this.inflight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read().finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async packedOutcomes(
    project: string,
    runs: readonly RunHeader[],
  ): Promise<Map<string, PackedRunOutcomesView>> {
    const packed = new Map<string, PackedRunOutcomesView>();
    const chunks: string[][] = [];
    for (let i = 0; i < runs.length; i += OUTCOMES_PER_REQUEST)
      chunks.push(runs.slice(i, i + OUTCOMES_PER_REQUEST).map((run) => run.runId));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) {
        const runIds = chunks[next++];
        const views = await this.read<PackedRunOutcomesView[]>(HISTORY_PATTERNS.outcomes, {
          project,
          runIds,
        });
        for (const view of views) packed.set(view.runId, view);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
    return packed;
  }

  /** The project's tests by testId. */
  async catalogue(project: string): Promise<Map<string, CatalogueTestView>> {
    const tests = await this.read<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, { project });
    return new Map(tests.map((test) => [test.testId, test]));
  }

  /** The project's tests (or those with these ordinals) by ordinal, the numbers StatesWindow holds. */
  async catalogueByOrdinal(project: string, ordinals?: number[]): Promise<Map<number, CatalogueTestView>> {
    const tests: CatalogueTestView[] = [];
    if (!ordinals)
      tests.push(...(await this.read<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, { project })));
    for (let i = 0; ordinals && i < ordinals.length; i += CATALOGUE_ORDINALS_PER_REQUEST)
      tests.push(
        ...(await this.read<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, {
          project,
          ordinals: ordinals.slice(i, i + CATALOGUE_ORDINALS_PER_REQUEST),
        })),
      );
    return new Map(tests.map((test) => [test.ordinal, test]));
  }

  days(window: Window, scope: RollupScope): Promise<DayBucketView[]> {
    return this.shared(`days:${scope}`, window, () =>
      this.read<DayBucketView[]>(HISTORY_PATTERNS.days, { ...window, scope }),
    );
  }

  failureFingerprints(window: Window): Promise<FailureFingerprintsView> {
    return this.read<FailureFingerprintsView>(HISTORY_PATTERNS.fingerprints, window);
  }

  failureExample(
    project: string,
    runId: string,
    fingerprint: string,
    resultId?: string,
  ): Promise<FailureExampleView> {
    return this.read<FailureExampleView>(HISTORY_PATTERNS.failureExample, {
      project,
      runId,
      fingerprint,
      ...(resultId ? { resultId } : {}),
    });
  }
}
