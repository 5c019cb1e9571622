import { PackedRunOutcomesView, RunHeader } from '@testpulse/contracts';
import {
  OutcomeColumns,
  RESULT_STATUSES,
  decodeOutcomeColumns,
  sameTestId,
  testIdOfKey,
  testKeyAt,
} from '@testpulse/domain';

const FAILED = RESULT_STATUSES.indexOf('failed');
const ERRORED = RESULT_STATUSES.indexOf('errored');
const SKIPPED = RESULT_STATUSES.indexOf('skipped');

/** A run of the window. */
export interface WindowRun extends RunHeader {
  /** Start in epoch milliseconds. */
  time: number;
  /** Share of the run's executed (not skipped) tests that failed or errored. */
  failingShare: number;
}

/** One run of an outcome window, decoded. */
export interface OutcomePiece {
  run: WindowRun;
  parts: OutcomeColumns[];
}

/**
 * Every execution of a window of runs, grouped by test, in columns: the executions of test `t`
 * (`testIds[t]`) are positions `offsets[t]` to `offsets[t + 1] - 1`, in run order (runs are oldest
 * first). 100 runs of 5,000 tests are 500,000 executions: as columns they take 8 MB and no objects,
 * where one object per execution took 0.5 s to build and several times the memory.
 */
export class OutcomeWindow {
  private constructor(
    readonly runs: readonly WindowRun[],
    readonly testIds: readonly string[],
    readonly offsets: Int32Array,
    /** Index in `runs` of each execution. */
    readonly run: Int32Array,
    /** Index in RESULT_STATUSES. */
    readonly status: Uint8Array,
    /** 1: passed after a failed or errored try in the run. */
    readonly flaky: Uint8Array,
    readonly attempts: Uint16Array,
    readonly durationMs: Float64Array,
    /** Failure fingerprints by execution position (failed or errored executions that have one). */
    readonly fingerprints: ReadonlyMap<number, string>,
  ) {}

  get tests(): number {
    return this.testIds.length;
  }

  /** The test of an execution position. */
  testAt(position: number): number {
    let lo = 0;
    let hi = this.testIds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Runs (oldest first) with their stored parts; runs without stored outcomes are left out. */
  static decode(
    headers: readonly RunHeader[],
    packed: ReadonlyMap<string, PackedRunOutcomesView>,
  ): OutcomeWindow {
    return OutcomeWindow.of(
      headers.flatMap((header) => {
        const view = packed.get(header.runId);
        return view ? [OutcomeWindow.decodeRun(header, view)] : [];
      }),
    );
  }

  /** One run's outcomes, decoded: a finished run's never change, so a caller may keep them (RunMemo). */
  static decodeRun(header: RunHeader, view: PackedRunOutcomesView): OutcomePiece {
    const parts = view.parts.map((part) =>
      decodeOutcomeColumns(Buffer.from(part.outcomes, 'base64'), Buffer.from(part.failures, 'base64')),
    );
    let ran = 0;
    let failing = 0;
    for (const part of parts)
      for (let i = 0; i < part.count; i++) {
        const status = part.status[i];
        if (status !== SKIPPED) ran += 1;
        if (status === FAILED || status === ERRORED) failing += 1;
      }
    return {
      run: { ...header, time: Date.parse(header.startedAt), failingShare: ran > 0 ? failing / ran : 0 },
      parts,
    };
  }

  /** The window of these runs' outcomes, oldest first. */
  static of(pieces: readonly OutcomePiece[]): OutcomeWindow {
    const runs = pieces.map((piece) => piece.run);
    const columns = pieces.map((piece) => piece.parts);
    let total = 0;
    for (const parts of columns) for (const part of parts) total += part.count;

    // Each execution's test, numbered in order of first appearance. Consecutive runs mostly list the
    // same tests in the same order: a test at the same place as in the previous run is compared in
    // place, and only the others are looked up by key.
    const ordinals = new Map<string, number>();
    const keys: string[] = [];
    const testOf = new Int32Array(total);
    let at = 0;
    let previous: { part: OutcomeColumns; start: number } | undefined;
    for (const parts of columns) {
      const single = parts.length === 1 ? { part: parts[0], start: at } : undefined;
      for (const part of parts)
        for (let i = 0; i < part.count; i++) {
          if (previous && single && i < previous.part.count && sameTestId(part, i, previous.part, i)) {
            testOf[at++] = testOf[previous.start + i];
            continue;
          }
          const key = testKeyAt(part, i);
          let t = ordinals.get(key);
          if (t === undefined) {
            t = keys.length;
            ordinals.set(key, t);
            keys.push(key);
          }
          testOf[at++] = t;
        }
      previous = single;
    }

    const offsets = new Int32Array(keys.length + 1);
    for (let i = 0; i < total; i++) offsets[testOf[i] + 1] += 1;
    for (let t = 0; t < keys.length; t++) offsets[t + 1] += offsets[t];

    const fill = offsets.slice(0, keys.length);
    const run = new Int32Array(total);
    const status = new Uint8Array(total);
    const flaky = new Uint8Array(total);
    const attempts = new Uint16Array(total);
    const durationMs = new Float64Array(total);
    const fingerprints = new Map<number, string>();
    at = 0;
    columns.forEach((parts, r) => {
      for (const part of parts)
        for (let i = 0; i < part.count; i++) {
          const position = fill[testOf[at++]]++;
          run[position] = r;
          status[position] = part.status[i];
          flaky[position] = part.flaky[i];
          attempts[position] = part.attempts[i];
          durationMs[position] = part.durationMs[i];
          const fingerprint = part.fingerprints.get(i);
          if (fingerprint !== undefined) fingerprints.set(position, fingerprint);
        }
    });
    return new OutcomeWindow(
      runs,
      keys.map(testIdOfKey),
      offsets,
      run,
      status,
      flaky,
      attempts,
      durationMs,
      fingerprints,
    );
  }
}
