/**
 * Flaky-test classification from a test's execution history. The method, its defaults and how to tune
 * them are in docs/analytics.md ("Flakiness"); bench/flaky-accuracy.mjs measures it on the labelled
 * demo history.
 *
 * In short: outage runs and skips are dropped; every remaining execution gets an amount of flaky
 * evidence in [0, 1] (a pass after a failed try in the run 1, the first disagreement on a commit 0.5,
 * a flip that reverses the branch's previous flip 0.5); the score is the exponentially weighted
 * average of that evidence over executions; a flag with hysteresis follows the score; the last runs
 * all failing make the test broken instead, which is never flaky.
 */
import { RESULT_STATUSES, ResultStatus } from '@testpulse/domain';

/** One execution of the test, in time order. Extra fields are ignored. */
export interface FlakinessExecution {
  runId: string;
  /** Start of the run, ISO. */
  at: string;
  /** `at` in epoch milliseconds, when the caller has it (saves parsing `at`). */
  time?: number;
  commit?: string;
  branch?: string;
  status: ResultStatus;
  /** Passed after a failed or errored try in the same run. */
  retriedPass: boolean;
  /**
   * Share of the run's executed (not skipped) tests that failed or errored, 0..1. Skipped tests belong
   * out of the denominator: with them, an outage in a run that skips many tests looks smaller.
   */
  runFailingShare: number;
}

export interface FlakinessOptions {
  /** Runs where at least this share of executions failed are infrastructure outages, not evidence. */
  outageShare: number;
  /** Fewer remaining executions than this → 'insufficient-data'; a flag is held at least this long. */
  minRuns: number;
  /** The last this many remaining executions all failed → 'broken'. */
  brokenRuns: number;
  /** Weight of the newest execution in the score (memory of about 1/alpha executions). */
  alpha: number;
  /** The score at or above this raises the flag... */
  flagThreshold: number;
  /** ...and only a score below this (and minRuns executions without evidence) clears it. */
  clearThreshold: number;
  /** Evidence of a pass after a failed try in the same run. */
  retryPassWeight: number;
  /** Evidence of the first disagreement on a commit (a pass and a failure of the same code). */
  sameCommitWeight: number;
  /** A commit's outcomes disagree only when they are at most this many hours apart. */
  sameCommitWindowHours: number;
  /** Evidence of a flip that reverses the previous flip on the same branch (pass → fail → pass). */
  oscillationWeight: number;
}

export const DEFAULT_FLAKINESS_OPTIONS: Readonly<FlakinessOptions> = Object.freeze({
  outageShare: 0.8,
  minRuns: 8,
  brokenRuns: 5,
  alpha: 0.01,
  flagThreshold: 0.0075,
  clearThreshold: 0.0025,
  retryPassWeight: 1,
  sameCommitWeight: 0.5,
  sameCommitWindowHours: 24,
  oscillationWeight: 0.5,
});

export type FlakinessClassification = 'flaky' | 'broken' | 'stable' | 'insufficient-data';

/** The numbers behind a classification, flat so that they can be shown and checked as they are. */
export type FlakinessEvidence = {
  /** Executions considered: not skipped, not in an outage run. */
  runs: number;
  outageRunsDropped: number;
  skipped: number;
  passes: number;
  /** Failed or errored. */
  failures: number;
  retryPasses: number;
  /** Commits with both a pass and a failure among the considered executions. */
  sameCommitDisagreements: number;
  /** Those of them whose opposite outcomes were at most sameCommitWindowHours apart (they score). */
  sameCommitDisagreementsScored: number;
  /** Changes of outcome between consecutive executions of the same branch. */
  flips: number;
  /** Flips that reversed the branch's previous flip (the ones that score). */
  oscillations: number;
  /** flips / executions that had a predecessor on their branch. */
  flipRate: number;
  /** The final score (the same number as `score`). */
  ewmaScore: number;
  peakScore: number;
  /** How often the flag was raised or cleared while walking the history. */
  flagChanges: number;
  /** When the flag still standing at the end was raised (null when it is not standing). */
  flaggedAt: string | null;
  lastStatus: ResultStatus | null;
  lastFailureAt: string | null;
  /** Failed or errored executions at the end of the history, in a row. */
  trailingFailures: number;
  alpha: number;
  flagThreshold: number;
  clearThreshold: number;
  outageShare: number;
  minRuns: number;
  brokenRuns: number;
};

export interface FlakinessVerdict {
  classification: FlakinessClassification;
  /** 0..1: the exponentially weighted share of recent executions that showed flaky behaviour. */
  score: number;
  evidence: FlakinessEvidence;
}

const HOUR_MS = 3_600_000;

/** No options given: the defaults, checked once (a project's classification calls this per test). */
const NO_OPTIONS: Partial<FlakinessOptions> = Object.freeze({});

function resolveOptions(options: Partial<FlakinessOptions>): FlakinessOptions {
  if (options === NO_OPTIONS) return DEFAULT_FLAKINESS_OPTIONS;
  const o: FlakinessOptions = { ...DEFAULT_FLAKINESS_OPTIONS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) o[key as keyof FlakinessOptions] = value;
  }
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new RangeError(`classifyFlakiness: ${what}`);
  };
  check(o.outageShare > 0 && o.outageShare <= 1, `outageShare must be in (0, 1], got ${o.outageShare}`);
  check(Number.isInteger(o.minRuns) && o.minRuns >= 1, `minRuns must be an integer >= 1, got ${o.minRuns}`);
  check(
    Number.isInteger(o.brokenRuns) && o.brokenRuns >= 1,
    `brokenRuns must be an integer >= 1, got ${o.brokenRuns}`,
  );
  check(o.alpha > 0 && o.alpha <= 1, `alpha must be in (0, 1], got ${o.alpha}`);
  check(
    o.clearThreshold >= 0 && o.clearThreshold < o.flagThreshold && o.flagThreshold <= 1,
    `need 0 <= clearThreshold < flagThreshold <= 1, got ${o.clearThreshold} and ${o.flagThreshold}`,
  );
  for (const key of ['retryPassWeight', 'sameCommitWeight', 'oscillationWeight'] as const)
    check(o[key] >= 0 && o[key] <= 1, `${key} must be in [0, 1], got ${o[key]}`);
  check(o.sameCommitWindowHours >= 0, `sameCommitWindowHours must be >= 0, got ${o.sameCommitWindowHours}`);
  return o;
}

const timeOf = (e: { at: string; time?: number }): number => e.time ?? Date.parse(e.at);

/** Time order by `at`, keeping the given order for equal or unreadable times. */
function inTimeOrder<T extends { at: string; time?: number }>(executions: readonly T[]): readonly T[] {
  let sorted = true;
  for (let i = 1; i < executions.length && sorted; i++)
    sorted = !(timeOf(executions[i]) < timeOf(executions[i - 1]));
  if (sorted) return executions;
  const times = executions.map(timeOf);
  return executions
    .map((e, i) => ({ e, i, t: times[i] }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? 0 : a.t - b.t) || a.i - b.i)
    .map(({ e }) => e);
}

/**
 * The runs a set of executions belongs to, in columns, with their commits and branches numbered: what
 * the classifier reads of a run. Analytics-engine builds them once per window of runs.
 */
export interface FlakinessRunColumns {
  /** Start of each run, epoch milliseconds. */
  readonly time: ArrayLike<number>;
  /** Start of each run, ISO (the evidence's dates). */
  readonly at: ArrayLike<string>;
  /** Commit number of each run, 0 to `commits - 1`; -1 when it has none. */
  readonly commit: ArrayLike<number>;
  /** Branch number of each run, 0 to `branches - 1` (runs without a branch share one). */
  readonly branch: ArrayLike<number>;
  /** See FlakinessExecution.runFailingShare. */
  readonly failingShare: ArrayLike<number>;
  readonly commits: number;
  readonly branches: number;
}

/** Executions in columns: the run (index in FlakinessRunColumns), the status, a pass after a retry. */
export interface FlakinessExecutionColumns {
  readonly run: ArrayLike<number>;
  /** Index in RESULT_STATUSES. */
  readonly status: ArrayLike<number>;
  /** 1: passed after a failed or errored try in the same run. */
  readonly retriedPass: ArrayLike<number>;
}

const SKIPPED = RESULT_STATUSES.indexOf('skipped');
const FAILED = RESULT_STATUSES.indexOf('failed');
const ERRORED = RESULT_STATUSES.indexOf('errored');

/** Bits of a commit's state in one test's history. */
const PASS_SEEN = 1;
const FAILURE_SEEN = 2;
const DISAGREED = 4;
const SCORED = 8;

/**
 * Classifies tests whose executions are columns over one set of runs (classifyFlakiness does one
 * test's list through it). The per-commit and per-branch state lives in arrays made once and reused
 * from test to test: a project's classification walks hundreds of thousands of executions.
 */
export class FlakinessClassifier {
  private readonly o: FlakinessOptions;
  // Per commit, current while commitStamp holds the current test's stamp.
  private readonly commitStamp: Int32Array;
  private readonly commitFlags: Uint8Array;
  /** Latest time of a pass and of a failure on the commit. */
  private readonly lastPass: Float64Array;
  private readonly lastFail: Float64Array;
  /** The first branch that ran the commit; further ones in `moreBranches`. */
  private readonly commitBranch: Int32Array;
  /** (branch, commit) pairs beyond each commit's first branch, as branch * commits + commit. */
  private readonly moreBranches = new Set<number>();
  // Per branch, current while branchStamp holds the current test's stamp.
  private readonly branchStamp: Int32Array;
  private readonly branchPassed: Uint8Array;
  /** A flip already happened on the branch, so the next one reverses it. */
  private readonly branchFlipped: Uint8Array;
  /** The newest commit the branch ran (-1: none). */
  private readonly branchHead: Int32Array;
  private stamp = 0;

  constructor(
    private readonly runs: FlakinessRunColumns,
    options: Partial<FlakinessOptions> = NO_OPTIONS,
  ) {
    this.o = resolveOptions(options);
    this.commitStamp = new Int32Array(runs.commits);
    this.commitFlags = new Uint8Array(runs.commits);
    this.lastPass = new Float64Array(runs.commits);
    this.lastFail = new Float64Array(runs.commits);
    this.commitBranch = new Int32Array(runs.commits);
    this.branchStamp = new Int32Array(runs.branches);
    this.branchPassed = new Uint8Array(runs.branches);
    this.branchFlipped = new Uint8Array(runs.branches);
    this.branchHead = new Int32Array(runs.branches);
  }

  /** The verdict on the executions at positions `from` to `to - 1` (see classifyFlakiness). */
  classify(executions: FlakinessExecutionColumns, from: number, to: number): FlakinessVerdict {
    const { o, runs } = this;
    const stamp = ++this.stamp;
    this.moreBranches.clear();
    const windowMs = o.sameCommitWindowHours * HOUR_MS;
    const order = timeOrder(runs, executions.run, from, to);
    let counted = 0;
    let outageRunsDropped = 0;
    let skipped = 0;
    let passes = 0;
    let retryPasses = 0;
    let sameCommitDisagreements = 0;
    let sameCommitDisagreementsScored = 0;
    let flips = 0;
    let oscillations = 0;
    let comparisons = 0;
    let score = 0;
    let peakScore = 0;
    let flagged = false;
    let flagChanges = 0;
    let flaggedRun = -1;
    let sinceEvidence = 0;
    let lastStatus = -1;
    let lastFailureRun = -1;
    let trailingFailures = 0;

    for (let k = from; k < to; k++) {
      const p = order ? order[k - from] : k;
      const status = executions.status[p];
      if (status === SKIPPED) {
        skipped += 1;
        continue;
      }
      const r = executions.run[p];
      if (runs.failingShare[r] >= o.outageShare) {
        outageRunsDropped += 1;
        continue;
      }
      counted += 1;
      const passed = status !== FAILED && status !== ERRORED;
      lastStatus = status;
      if (passed) {
        passes += 1;
        trailingFailures = 0;
      } else {
        lastFailureRun = r;
        trailingFailures += 1;
      }
      let evidence = 0;

      // (a) A pass after a failed try in the same run: the same code both failed and passed.
      if (executions.retriedPass[p] === 1 && passed) {
        retryPasses += 1;
        evidence += o.retryPassWeight;
      }

      // (b) Same commit, both outcomes. Scored once per commit, and only when the opposite outcome is
      // recent: a commit re-tested days later meets another environment (a fixed dependency, new data).
      const commit = runs.commit[r];
      if (commit >= 0) {
        const at = runs.time[r];
        if (this.commitStamp[commit] !== stamp) {
          this.commitStamp[commit] = stamp;
          this.commitFlags[commit] = 0;
          this.commitBranch[commit] = -1;
        }
        let flags = this.commitFlags[commit];
        if (flags & (passed ? FAILURE_SEEN : PASS_SEEN)) {
          const opposite = passed ? this.lastFail[commit] : this.lastPass[commit];
          if (!(flags & DISAGREED)) {
            flags |= DISAGREED;
            sameCommitDisagreements += 1;
          }
          if (!(flags & SCORED) && Math.abs(at - opposite) <= windowMs) {
            flags |= SCORED;
            sameCommitDisagreementsScored += 1;
            evidence += o.sameCommitWeight;
          }
        }
        if (passed) {
          this.lastPass[commit] = flags & PASS_SEEN ? Math.max(this.lastPass[commit], at) : at;
          flags |= PASS_SEEN;
        } else {
          this.lastFail[commit] = flags & FAILURE_SEEN ? Math.max(this.lastFail[commit], at) : at;
          flags |= FAILURE_SEEN;
        }
        this.commitFlags[commit] = flags;
      }

      // (c) Flips between consecutive outcomes of the same branch (other branches run other code). The
      // first flip on a branch is a change of state (a breakage or a fix); a flip that reverses an
      // earlier one is an oscillation, and only oscillations score. A re-run of an older commit of the
      // branch, after a newer one ran, is compared with its own commit (b), not with the newer code.
      const branch = runs.branch[r];
      if (this.branchStamp[branch] !== stamp) {
        this.branchStamp[branch] = stamp;
        this.branchPassed[branch] = passed ? 1 : 0;
        this.branchFlipped[branch] = 0;
        this.branchHead[branch] = commit;
        if (commit >= 0) this.ranOn(branch, commit);
      } else if (!(commit >= 0 && commit !== this.branchHead[branch] && this.hasRun(branch, commit))) {
        comparisons += 1;
        if ((this.branchPassed[branch] === 1) !== passed) {
          flips += 1;
          if (this.branchFlipped[branch] === 1) {
            oscillations += 1;
            evidence += o.oscillationWeight;
          }
          this.branchFlipped[branch] = 1;
          this.branchPassed[branch] = passed ? 1 : 0;
        }
        if (commit >= 0) {
          this.branchHead[branch] = commit;
          this.ranOn(branch, commit);
        }
      }

      // The score: an exponentially weighted average of the evidence per execution, each capped at 1.
      score = o.alpha * Math.min(1, evidence) + (1 - o.alpha) * score;
      peakScore = Math.max(peakScore, score);
      sinceEvidence = evidence > 0 ? 0 : sinceEvidence + 1;

      // Hysteresis: raise at flagThreshold; clear only below the lower clearThreshold and after minRuns
      // executions without evidence, so a score hovering between the two does not blink.
      if (!flagged && score >= o.flagThreshold) {
        flagged = true;
        flagChanges += 1;
        flaggedRun = r;
      } else if (flagged && score < o.clearThreshold && sinceEvidence >= o.minRuns) {
        flagged = false;
        flagChanges += 1;
        flaggedRun = -1;
      }
    }

    const evidence: FlakinessEvidence = {
      runs: counted,
      outageRunsDropped,
      skipped,
      passes,
      failures: counted - passes,
      retryPasses,
      sameCommitDisagreements,
      sameCommitDisagreementsScored,
      flips,
      oscillations,
      flipRate: comparisons > 0 ? flips / comparisons : 0,
      ewmaScore: score,
      peakScore,
      flagChanges,
      flaggedAt: flaggedRun >= 0 ? runs.at[flaggedRun] : null,
      lastStatus: lastStatus >= 0 ? RESULT_STATUSES[lastStatus] : null,
      lastFailureAt: lastFailureRun >= 0 ? runs.at[lastFailureRun] : null,
      trailingFailures,
      alpha: o.alpha,
      flagThreshold: o.flagThreshold,
      clearThreshold: o.clearThreshold,
      outageShare: o.outageShare,
      minRuns: o.minRuns,
      brokenRuns: o.brokenRuns,
    };
    const classification: FlakinessClassification =
      counted < o.minRuns
        ? 'insufficient-data'
        : trailingFailures >= o.brokenRuns
          ? 'broken'
          : flagged
            ? 'flaky'
            : 'stable';
    return { classification, score, evidence };
  }

  /** Records that `branch` ran `commit` (whose state is current for this test). */
  private ranOn(branch: number, commit: number): void {
    const first = this.commitBranch[commit];
    if (first === -1) this.commitBranch[commit] = branch;
    else if (first !== branch) this.moreBranches.add(branch * this.runs.commits + commit);
  }

  /** Whether `branch` ran `commit` before, in this test's history. */
  private hasRun(branch: number, commit: number): boolean {
    if (this.commitStamp[commit] !== this.stamp) return false;
    const first = this.commitBranch[commit];
    return first === branch || (first !== -1 && this.moreBranches.has(branch * this.runs.commits + commit));
  }
}

/**
 * Positions `from` to `to - 1` in time order, or `undefined` when they are in it already; equal or
 * unreadable times keep their order (as inTimeOrder).
 */
function timeOrder(
  runs: FlakinessRunColumns,
  run: ArrayLike<number>,
  from: number,
  to: number,
): number[] | undefined {
  let sorted = true;
  for (let p = from + 1; p < to && sorted; p++) sorted = !(runs.time[run[p]] < runs.time[run[p - 1]]);
  if (sorted) return undefined;
  const positions = Array.from({ length: to - from }, (_, i) => from + i);
  return positions.sort((a, b) => {
    const ta = runs.time[run[a]];
    const tb = runs.time[run[b]];
    return (Number.isNaN(ta) || Number.isNaN(tb) ? 0 : ta - tb) || a - b;
  });
}

/** A run as the classifier reads it (see FlakinessExecution for the fields). */
export interface FlakinessRun {
  time: number;
  at: string;
  commit?: string;
  branch?: string;
  failingShare: number;
}

/** Runs in columns, commits and branches numbered as they come (runs without a branch share one). */
export function flakinessRunColumns(runs: readonly FlakinessRun[]): FlakinessRunColumns {
  const commits = new Map<string, number>();
  const branches = new Map<string, number>();
  const numbered = (names: Map<string, number>, name: string): number => {
    let id = names.get(name);
    if (id === undefined) names.set(name, (id = names.size));
    return id;
  };
  return {
    time: Float64Array.from(runs, (run) => run.time),
    at: runs.map((run) => run.at),
    commit: Int32Array.from(runs, (run) => (run.commit ? numbered(commits, run.commit) : -1)),
    branch: Int32Array.from(runs, (run) => numbered(branches, run.branch ?? '')),
    failingShare: Float64Array.from(runs, (run) => run.failingShare),
    commits: commits.size,
    branches: branches.size,
  };
}

/** Classifies one test from its executions (oldest first); see docs/analytics.md for the method. */
export function classifyFlakiness(
  executions: readonly FlakinessExecution[],
  options: Partial<FlakinessOptions> = NO_OPTIONS,
): FlakinessVerdict {
  // Each execution is its own run here.
  const list = inTimeOrder(executions);
  const runs = flakinessRunColumns(
    list.map((e) => ({
      time: timeOf(e),
      at: e.at,
      commit: e.commit,
      branch: e.branch,
      failingShare: e.runFailingShare,
    })),
  );
  const columns = {
    run: Int32Array.from(list, (_, i) => i),
    status: Uint8Array.from(list, (e) => RESULT_STATUSES.indexOf(e.status)),
    retriedPass: Uint8Array.from(list, (e) => (e.retriedPass ? 1 : 0)),
  };
  return new FlakinessClassifier(runs, options).classify(columns, 0, list.length);
}

/**
 * The classification of a history without failures and without passes after a retry, from how many of
 * its executions count (neither skipped nor in an outage run): what classifyFlakiness gives for it,
 * without walking it. Such a history has no evidence, so it is never flaky and never broken. Counting
 * a project's classes, most tests take this way.
 */
export function classifyWithoutFailures(
  counted: number,
  options: Partial<FlakinessOptions> = NO_OPTIONS,
): FlakinessClassification {
  return counted < resolveOptions(options).minRuns ? 'insufficient-data' : 'stable';
}
