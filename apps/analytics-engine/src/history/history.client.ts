import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  ANALYTICS_LIMITS,
  CATALOGUE_ORDINALS_PER_REQUEST,
  CatalogueTestView,
  DayBucketView,
  FailureExampleView,
  FailureFingerprintsView,
  HISTORY_PATTERNS,
  KNOWN_RUNS_PER_REQUEST,
  OUTCOMES_PER_REQUEST,
  PackedRunOutcomesView,
  RollupScope,
  RunHeader,
  WindowRunView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { LRUCache } from 'lru-cache';
import { AnalyticsEngineEnv } from '../env';
import { OutcomePiece, OutcomeWindow } from './outcome-window';
import { Kind, RunMemo } from './run-memo';
import { StatesPiece, StatesWindow } from './states-window';

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

/** Catalogue entries kept, over every project (a test's entry takes a few hundred bytes). */
const CATALOGUE_MEMO_TESTS = 500_000;
/** Failure examples kept (each a message and a stack of a few KB at most). */
const EXAMPLES_KEPT = 5_000;

/** Identifies a kind of read or build over a window. */
const windowKey = (kind: string, window: Window): string =>
  JSON.stringify([kind, window.project, window.from, window.to, window.branch ?? null]);

/** Memory for built windows when no env says (tests). */
const DEFAULT_WINDOW_MEMO_MB = 64;

interface BuiltWindow {
  pieces: ReadonlyArray<StatesPiece | OutcomePiece>;
  window: StatesWindow | OutcomeWindow;
  size: number;
}

/** A trailing window (the last `days` days, today included) an analysis asked for. */
interface AskedWindow {
  kind: Kind;
  days: number;
  branch?: string;
  /** When it was last asked for (epoch ms). */
  at: number;
}

/**
 * Windows built ahead for a project none of whose windows was asked for in the last day: states and
 * outcomes over the periods the role dashboards and the analyses' defaults use.
 */
const STANDARD_DAYS = [7, 14, ANALYTICS_LIMITS.defaultDays];
/** A window not asked for this long is no longer built ahead. */
const ASKED_FOR_MS = 24 * 3600 * 1000;
/** Windows remembered per project, the most recently asked for (any branch name can be asked for). */
const ASKED_PER_PROJECT = 16;

/** About the memory a built window takes beyond its pieces: its columns and fingerprints. */
function windowSize(window: StatesWindow | OutcomeWindow): number {
  const columns: ArrayBufferView[] = [window.offsets, window.run, window.status, window.flaky];
  if (window instanceof OutcomeWindow) columns.push(window.attempts, window.durationMs);
  return (
    columns.reduce((n, column) => n + column.byteLength, 0) +
    window.fingerprints.size * 80 +
    window.tests * 40
  );
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
  /** Catalogue entries read before, by project, by ordinal and by testId. */
  private readonly catalogueMemo = new Map<
    string,
    { byOrdinal: Map<number, CatalogueTestView>; byTestId: Map<string, CatalogueTestView> }
  >();
  /** The windows built last, with the pieces they were built from, bounded in bytes (WINDOW_MEMO_MB). */
  private readonly built: LRUCache<string, BuiltWindow>;
  /** Failure examples read before (their raw results may expire: not found is not kept). */
  private readonly examples = new LRUCache<string, FailureExampleView>({ max: EXAMPLES_KEPT });
  /** Trailing windows analyses asked for, by project, then by kind, length and branch (see prebuild). */
  private readonly asked = new Map<string, Map<string, AskedWindow>>();
  /** Keys of `built` entries built ahead on a guess (standard windows) and not asked for since. */
  private readonly guesses = new Set<string>();

  constructor(
    private readonly services: ServiceClient,
    @Optional() @Inject(AnalyticsEngineEnv) env?: AnalyticsEngineEnv,
    @Optional() private readonly memo: RunMemo = new RunMemo(env),
  ) {
    this.timeoutMs = env?.HISTORY_TIMEOUT_MS ?? DEFAULT_HISTORY_TIMEOUT_MS;
    this.built = new LRUCache<string, BuiltWindow>({
      maxSize: (env?.WINDOW_MEMO_MB ?? DEFAULT_WINDOW_MEMO_MB) * 1024 * 1024,
      sizeCalculation: (entry) => Math.max(1, entry.size),
      dispose: (_entry, key) => this.guesses.delete(key),
    });
  }

  /** A read from data-aggregation, with the deadline of history reads. */
  private read<T>(pattern: string, payload: object): Promise<T> {
    return this.services.send<T>(pattern, payload, { timeoutMs: this.timeoutMs });
  }

  runs(window: Window): Promise<RunHeader[]> {
    return this.read<RunHeader[]>(HISTORY_PATTERNS.runs, window);
  }

  /**
   * The runs of the window with every execution of every test, durations included (OutcomeWindow).
   * Only the outcomes of runs not held in the RunMemo are read.
   */
  outcomeWindow(window: Window): Promise<OutcomeWindow> {
    this.noteAsked('outcomes', window);
    return this.builtOutcomes(window);
  }

  private builtOutcomes(window: Window, guess = false): Promise<OutcomeWindow> {
    return this.shared(windowKey('outcomes', window), async () =>
      this.assemble('outcomes', window, await this.outcomePieces(window), OutcomeWindow.of, guess),
    );
  }

  /**
   * The runs of the window with every test's state: status, retry pass, fingerprint (StatesWindow).
   * The request names the runs held in the RunMemo, whose states are then not sent again.
   */
  statesWindow(window: Window): Promise<StatesWindow> {
    this.noteAsked('states', window);
    return this.builtStates(window);
  }

  private builtStates(window: Window, guess = false): Promise<StatesWindow> {
    return this.shared(windowKey('states', window), async () =>
      this.assemble('states', window, await this.statesPieces(window), StatesWindow.of, guess),
    );
  }

  /**
   * Reads a day's finished runs into the RunMemo (states and outcomes of those not held yet), and the
   * catalogue entries of their tests not kept yet, so that the analyses that follow, however much
   * later, ask data-aggregation for nothing but the listing.
   */
  async keepDay(project: string, day: string): Promise<void> {
    const window = { project, from: day, to: day };
    await Promise.all([
      this.shared(windowKey('keep-states', window), async () => {
        const pieces = await this.statesPieces(window);
        const ordinals = new Set<number>();
        for (const { columns } of pieces)
          for (let i = 0; i < columns.count; i++) ordinals.add(columns.ordinal[i]);
        await this.catalogueByOrdinal(project, [...ordinals]);
      }),
      this.shared(windowKey('keep-outcomes', window), () => this.outcomePieces(window)),
    ]);
  }

  private async outcomePieces(window: Window): Promise<OutcomePiece[]> {
    const runs = await this.runs(window);
    const held = this.memo.within<OutcomePiece>('outcomes', window.project, window.from, window.to);
    const packed = await this.packedOutcomes(
      window.project,
      runs.filter((run) => !held.has(run.runId)),
    );
    return runs.flatMap((header) => {
      const kept = held.get(header.runId);
      if (kept) return [kept];
      const view = packed.get(header.runId);
      if (!view) return [];
      const piece = OutcomeWindow.decodeRun(header, view);
      this.memo.put('outcomes', window.project, header.runId, header.day, piece);
      return [piece];
    });
  }

  private async statesPieces(window: Window): Promise<StatesPiece[]> {
    const held = this.memo.within<StatesPiece>('states', window.project, window.from, window.to);
    const known = [...held.keys()].slice(0, KNOWN_RUNS_PER_REQUEST);
    const views = await this.read<WindowRunView[]>(
      HISTORY_PATTERNS.states,
      known.length > 0 ? { ...window, known } : window,
    );
    return views.flatMap((view) => {
      // `held` keeps the pieces it names until this read is over.
      if ('known' in view) return held.get(view.runId) ?? [];
      const piece = StatesWindow.decodeRun(view);
      this.memo.put('states', window.project, view.runId, view.day, piece);
      return [piece];
    });
  }

  /**
   * The window of these pieces: the one built last for this window when it was built from the very
   * same pieces (held runs never change, so the same runs make the same window), else a new one.
   * Analyses asked again over unchanged data (after `POST /cache/invalidate`, or by another caller)
   * skip the build, which walks every execution of the window.
   */
  private assemble<P extends StatesPiece | OutcomePiece, W extends StatesWindow | OutcomeWindow>(
    kind: Kind,
    window: Window,
    pieces: readonly P[],
    build: (pieces: readonly P[]) => W,
    guess = false,
  ): W {
    const key = windowKey(kind, window);
    const last = this.built.get(key);
    if (last && last.pieces.length === pieces.length && last.pieces.every((piece, i) => piece === pieces[i]))
      return last.window as W;
    const made = build(pieces);
    const size = windowSize(made);
    if (!guess) {
      this.built.set(key, { pieces, window: made, size });
      return made;
    }
    // A guess takes free room only, and is the first to go when room is needed: the windows in use
    // are moved ahead of it (least recently used first, so their order stays).
    if (size > this.built.maxSize - this.built.calculatedSize) return made;
    this.built.set(key, { pieces, window: made, size });
    this.guesses.add(key);
    for (const other of [...this.built.rkeys()]) if (!this.guesses.has(other)) this.built.get(other);
    return made;
  }

  /** Whether the window built last for `window` holds every run of it the RunMemo holds. */
  private current(kind: Kind, window: Window): boolean {
    const last = this.built.peek(windowKey(kind, window));
    if (!last) return false;
    const runIds = new Set(last.pieces.map((piece) => piece.run.runId));
    for (const [runId, piece] of this.memo.within(kind, window.project, window.from, window.to))
      if (!runIds.has(runId) && (!window.branch || piece.run.branch === window.branch)) return false;
    return true;
  }

  /** Remembers a trailing window asked for (one ending today), to build it ahead (prebuild). */
  private noteAsked(kind: Kind, window: Window, now = new Date()): void {
    this.guesses.delete(windowKey(kind, window));
    const { to } = windowOf(1, now);
    if (window.to !== to) return;
    const days = Math.round((Date.parse(window.to) - Date.parse(window.from)) / DAY_MS) + 1;
    let asked = this.asked.get(window.project);
    if (!asked) this.asked.set(window.project, (asked = new Map()));
    const key = JSON.stringify([kind, days, window.branch ?? null]);
    // Kept in the order last asked for; the least recent go past the bound.
    asked.delete(key);
    asked.set(key, { kind, days, ...(window.branch ? { branch: window.branch } : {}), at: now.getTime() });
    for (const oldest of asked.keys()) {
      if (asked.size <= ASKED_PER_PROJECT) break;
      asked.delete(oldest);
    }
  }

  /**
   * Builds ahead the project's windows that were never built or lack a run held in the RunMemo:
   * those analyses asked for in the last day (the 16 asked for last), or the standard ones when none
   * of the project's was (a guess: kept only in free room, and the first to go when room is needed,
   * so that guesses never push out windows in use). One at a time. Called when the project's runs go
   * quiet (WindowPrebuilder): the first analyses after a batch of runs (a dashboard opened in the
   * morning) then find their windows built. Answers how many it built and kept.
   */
  async prebuild(project: string, now = new Date()): Promise<number> {
    const asked = this.asked.get(project);
    for (const [key, window] of asked ?? []) if (window.at < now.getTime() - ASKED_FOR_MS) asked?.delete(key);
    const guess = !asked?.size;
    const wanted: Array<Omit<AskedWindow, 'at'>> = guess
      ? STANDARD_DAYS.flatMap((days) => [
          { kind: 'states' as const, days },
          { kind: 'outcomes' as const, days },
        ])
      : [...asked.values()];
    let built = 0;
    for (const { kind, days, branch } of wanted) {
      const window: Window = { project, ...windowOf(days, now), ...(branch ? { branch } : {}) };
      if (this.current(kind, window)) continue;
      const made = await (kind === 'states'
        ? this.builtStates(window, guess)
        : this.builtOutcomes(window, guess));
      if (this.built.peek(windowKey(kind, window))?.window === made) built += 1;
    }
    return built;
  }

  /** A read in progress under `key` (see `inflight`), or a new one. */
  private shared<T>(key: string, read: () => Promise<T>): Promise<T> {
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

  /**
   * The tests with these testIds (the ids OutcomeWindow holds). Entries read before are kept, as for
   * catalogueByOrdinal; when some are missing, the project's whole catalogue is read once and kept,
   * so later analyses of the same tests (metrics after every run) ask data-aggregation nothing.
   */
  async catalogueByTestId(
    project: string,
    testIds: readonly string[],
  ): Promise<Map<string, CatalogueTestView>> {
    const missing = (id: string) => !this.catalogueMemo.get(project)?.byTestId.has(id);
    if (testIds.some(missing))
      await this.shared(JSON.stringify(['catalogue', project]), async () =>
        this.keep(project, await this.read<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, { project })),
      );
    const kept = this.catalogueMemo.get(project);
    const found = new Map<string, CatalogueTestView>();
    for (const id of testIds) {
      const test = kept?.byTestId.get(id);
      if (test) found.set(id, test);
    }
    return found;
  }

  /**
   * The tests with these ordinals (the numbers StatesWindow holds). A test's catalogue entry never
   * changes once stored (the catalogue only grows), so those read before are kept (up to
   * CATALOGUE_MEMO_TESTS) and only the others are asked for.
   */
  async catalogueByOrdinal(
    project: string,
    ordinals: ArrayLike<number>,
  ): Promise<Map<number, CatalogueTestView>> {
    const known = this.catalogueMemo.get(project)?.byOrdinal;
    const missing = Array.from(ordinals).filter((o) => !known?.has(o));
    for (let i = 0; i < missing.length; i += CATALOGUE_ORDINALS_PER_REQUEST)
      this.keep(
        project,
        await this.read<CatalogueTestView[]>(HISTORY_PATTERNS.catalogue, {
          project,
          ordinals: missing.slice(i, i + CATALOGUE_ORDINALS_PER_REQUEST),
        }),
      );
    const kept = this.catalogueMemo.get(project);
    const found = new Map<number, CatalogueTestView>();
    for (const o of Array.from(ordinals)) {
      const test = kept?.byOrdinal.get(o);
      if (test) found.set(o, test);
    }
    return found;
  }

  /** Keeps catalogue entries read; past CATALOGUE_MEMO_TESTS, only this project's entries stay. */
  private keep(project: string, tests: readonly CatalogueTestView[]): void {
    let kept = this.catalogueMemo.get(project);
    if (!kept) this.catalogueMemo.set(project, (kept = { byOrdinal: new Map(), byTestId: new Map() }));
    for (const test of tests) {
      kept.byOrdinal.set(test.ordinal, test);
      kept.byTestId.set(test.testId, test);
    }
    const size = [...this.catalogueMemo.values()].reduce((n, memo) => n + memo.byOrdinal.size, 0);
    if (size > CATALOGUE_MEMO_TESTS)
      for (const other of this.catalogueMemo.keys()) if (other !== project) this.catalogueMemo.delete(other);
  }

  days(window: Window, scope: RollupScope): Promise<DayBucketView[]> {
    return this.shared(windowKey(`days:${scope}`, window), () =>
      this.read<DayBucketView[]>(HISTORY_PATTERNS.days, { ...window, scope }),
    );
  }

  failureFingerprints(window: Window): Promise<FailureFingerprintsView> {
    return this.read<FailureFingerprintsView>(HISTORY_PATTERNS.fingerprints, window);
  }

  /** A stored failure of a run with this fingerprint: kept once read (a stored result never changes). */
  async failureExample(
    project: string,
    runId: string,
    fingerprint: string,
    resultId?: string,
  ): Promise<FailureExampleView> {
    const key = JSON.stringify([project, runId, fingerprint, resultId ?? null]);
    const kept = this.examples.get(key);
    if (kept) return kept;
    const example = await this.read<FailureExampleView>(HISTORY_PATTERNS.failureExample, {
      project,
      runId,
      fingerprint,
      ...(resultId ? { resultId } : {}),
    });
    this.examples.set(key, example);
    return example;
  }
}
