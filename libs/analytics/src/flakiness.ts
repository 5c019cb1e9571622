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
import type { ResultStatus } from '@testpulse/domain';

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
const failing = (status: ResultStatus) => status === 'failed' || status === 'errored';

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

interface BranchState {
  outcome: boolean;
  /** A flip already happened on this branch, so the next one reverses it. */
  flipped: boolean;
  /** The newest commit the branch ran, and every commit it ran before. */
  head?: string;
  commits: Set<string>;
}

interface CommitState {
  /** Latest time (ms) of a pass and of a failure on the commit. */
  lastPass?: number;
  lastFail?: number;
  disagreed: boolean;
  scored: boolean;
}

/** Classifies one test from its executions (oldest first); see docs/analytics.md for the method. */
export function classifyFlakiness(
  executions: readonly FlakinessExecution[],
  options: Partial<FlakinessOptions> = NO_OPTIONS,
): FlakinessVerdict {
  const o = resolveOptions(options);
  const windowMs = o.sameCommitWindowHours * HOUR_MS;
  const branches = new Map<string, BranchState>();
  const commits = new Map<string, CommitState>();
  let runs = 0;
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
  let flaggedAt: string | null = null;
  let sinceEvidence = 0;
  let lastStatus: ResultStatus | null = null;
  let lastFailureAt: string | null = null;
  let trailingFailures = 0;

  for (const e of inTimeOrder(executions)) {
    if (e.status === 'skipped') {
      skipped += 1;
      continue;
    }
    if (e.runFailingShare >= o.outageShare) {
      outageRunsDropped += 1;
      continue;
    }
    runs += 1;
    const passed = !failing(e.status);
    lastStatus = e.status;
    if (passed) {
      passes += 1;
      trailingFailures = 0;
    } else {
      lastFailureAt = e.at;
      trailingFailures += 1;
    }
    let evidence = 0;

    // (a) A pass after a failed try in the same run: the same code both failed and passed.
    if (e.retriedPass && passed) {
      retryPasses += 1;
      evidence += o.retryPassWeight;
    }

    // (b) Same commit, both outcomes. Scored once per commit, and only when the opposite outcome is
    // recent: a commit re-tested days later meets another environment (a fixed dependency, new data).
    if (e.commit) {
      const at = timeOf(e);
      let c = commits.get(e.commit);
      if (!c) {
        c = { disagreed: false, scored: false };
        commits.set(e.commit, c);
      }
      const opposite = passed ? c.lastFail : c.lastPass;
      if (opposite !== undefined) {
        if (!c.disagreed) {
          c.disagreed = true;
          sameCommitDisagreements += 1;
        }
        if (!c.scored && Math.abs(at - opposite) <= windowMs) {
          c.scored = true;
          sameCommitDisagreementsScored += 1;
          evidence += o.sameCommitWeight;
        }
      }
      if (passed) c.lastPass = Math.max(c.lastPass ?? -Infinity, at);
      else c.lastFail = Math.max(c.lastFail ?? -Infinity, at);
    }

    // (c) Flips between consecutive outcomes of the same branch (other branches run other code). The
    // first flip on a branch is a change of state (a breakage or a fix); a flip that reverses an
    // earlier one is an oscillation, and only oscillations score. A re-run of an older commit of the
    // branch, after a newer one ran, is compared with its own commit (b), not with the newer code.
    const branchKey = e.branch ?? '';
    const b = branches.get(branchKey);
    if (!b) {
      branches.set(branchKey, {
        outcome: passed,
        flipped: false,
        head: e.commit,
        commits: new Set(e.commit ? [e.commit] : []),
      });
    } else if (!(e.commit && e.commit !== b.head && b.commits.has(e.commit))) {
      comparisons += 1;
      if (b.outcome !== passed) {
        flips += 1;
        if (b.flipped) {
          oscillations += 1;
          evidence += o.oscillationWeight;
        }
        b.flipped = true;
        b.outcome = passed;
      }
      if (e.commit) {
        b.head = e.commit;
        b.commits.add(e.commit);
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
      flaggedAt = e.at;
    } else if (flagged && score < o.clearThreshold && sinceEvidence >= o.minRuns) {
      flagged = false;
      flagChanges += 1;
      flaggedAt = null;
    }
  }

  const evidence: FlakinessEvidence = {
    runs,
    outageRunsDropped,
    skipped,
    passes,
    failures: runs - passes,
    retryPasses,
    sameCommitDisagreements,
    sameCommitDisagreementsScored,
    flips,
    oscillations,
    flipRate: comparisons > 0 ? flips / comparisons : 0,
    ewmaScore: score,
    peakScore,
    flagChanges,
    flaggedAt,
    lastStatus,
    lastFailureAt,
    trailingFailures,
    alpha: o.alpha,
    flagThreshold: o.flagThreshold,
    clearThreshold: o.clearThreshold,
    outageShare: o.outageShare,
    minRuns: o.minRuns,
    brokenRuns: o.brokenRuns,
  };
  const classification: FlakinessClassification =
    runs < o.minRuns
      ? 'insufficient-data'
      : trailingFailures >= o.brokenRuns
        ? 'broken'
        : flagged
          ? 'flaky'
          : 'stable';
  return { classification, score, evidence };
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
