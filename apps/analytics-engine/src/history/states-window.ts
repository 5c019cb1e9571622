import { RunStatesView } from '@testpulse/contracts';
import { RESULT_STATUSES, StateColumns, decodeStates } from '@testpulse/domain';
import { WindowRun } from './outcome-window';

const FAILED = RESULT_STATUSES.indexOf('failed');
const ERRORED = RESULT_STATUSES.indexOf('errored');
const SKIPPED = RESULT_STATUSES.indexOf('skipped');

/**
 * The test states of a window of runs (status, retry-pass flag, failure fingerprint; no durations),
 * grouped by test, in columns: the executions of test `t` (catalogue ordinal `ordinals[t]`) are
 * positions `offsets[t]` to `offsets[t + 1] - 1`, in run order (runs are oldest first). Flakiness and
 * failure clusters read these; durations are in OutcomeWindow.
 */
/** A run of a states window, with the stored result that exemplifies each of its failure fingerprints. */
export interface StatesRun extends WindowRun {
  examples: ReadonlyMap<string, string>;
}

/** One run of a states window, decoded. */
export interface StatesPiece {
  run: StatesRun;
  columns: StateColumns;
}

export class StatesWindow {
  private constructor(
    readonly runs: readonly StatesRun[],
    /** Catalogue ordinal of each test, ascending. */
    readonly ordinals: Uint32Array,
    readonly offsets: Int32Array,
    /** Index in `runs` of each execution. */
    readonly run: Int32Array,
    /** Index in RESULT_STATUSES. */
    readonly status: Uint8Array,
    /** 1: passed after a failed or errored try in the run. */
    readonly flaky: Uint8Array,
    /** Failure fingerprints by execution position. */
    readonly fingerprints: ReadonlyMap<number, string>,
  ) {}

  get tests(): number {
    return this.ordinals.length;
  }

  /** The test of an execution position. */
  testAt(position: number): number {
    let lo = 0;
    let hi = this.ordinals.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= position) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Runs oldest first, as data-aggregation sends them (each with its states). */
  static decode(views: readonly RunStatesView[]): StatesWindow {
    return StatesWindow.of(views.map((view) => StatesWindow.decodeRun(view)));
  }

  /** One run's states, decoded: a finished run's never change, so a caller may keep them (RunMemo). */
  static decodeRun(view: RunStatesView): StatesPiece {
    const { states, failures, examples, tests: _tests, failing: _failing, ...header } = view;
    const columns = decodeStates(Buffer.from(states, 'base64'), Buffer.from(failures, 'base64'));
    let ran = 0;
    let failingCount = 0;
    for (let i = 0; i < columns.count; i++) {
      const status = columns.status[i];
      if (status !== SKIPPED) ran += 1;
      if (status === FAILED || status === ERRORED) failingCount += 1;
    }
    return {
      run: {
        ...header,
        time: Date.parse(header.startedAt),
        failingShare: ran > 0 ? failingCount / ran : 0,
        examples: new Map(examples),
      },
      columns,
    };
  }

  /** The window of these runs' states, oldest first. */
  static of(pieces: readonly StatesPiece[]): StatesWindow {
    const runs = pieces.map((piece) => piece.run);
    const columns = pieces.map((piece) => piece.columns);
    let total = 0;
    let maxOrdinal = -1;
    for (const c of columns) {
      total += c.count;
      for (let i = 0; i < c.count; i++) if (c.ordinal[i] > maxOrdinal) maxOrdinal = c.ordinal[i];
    }

    // Executions per ordinal, then tests numbered in ordinal order.
    const perOrdinal = new Int32Array(maxOrdinal + 1);
    for (const c of columns) for (let i = 0; i < c.count; i++) perOrdinal[c.ordinal[i]] += 1;
    const testOf = new Int32Array(maxOrdinal + 1).fill(-1);
    const ordinalList: number[] = [];
    for (let o = 0; o <= maxOrdinal; o++)
      if (perOrdinal[o] > 0) {
        testOf[o] = ordinalList.length;
        ordinalList.push(o);
      }
    const offsets = new Int32Array(ordinalList.length + 1);
    ordinalList.forEach((o, t) => (offsets[t + 1] = offsets[t] + perOrdinal[o]));

    const fill = offsets.slice(0, ordinalList.length);
    const run = new Int32Array(total);
    const status = new Uint8Array(total);
    const flaky = new Uint8Array(total);
    const fingerprints = new Map<number, string>();
    let positions = new Int32Array(0);
    columns.forEach((c, r) => {
      if (positions.length < c.count) positions = new Int32Array(c.count);
      for (let i = 0; i < c.count; i++) {
        const position = fill[testOf[c.ordinal[i]]]++;
        positions[i] = position;
        run[position] = r;
        status[position] = c.status[i];
        flaky[position] = c.flaky[i];
      }
      // Few executions have a fingerprint: walked apart, not looked up per execution.
      for (const [i, fingerprint] of c.fingerprints) fingerprints.set(positions[i], fingerprint);
    });
    return new StatesWindow(runs, Uint32Array.from(ordinalList), offsets, run, status, flaky, fingerprints);
  }
}
