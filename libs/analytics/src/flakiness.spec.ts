import {
  classifyFlakiness,
  classifyWithoutFailures,
  DEFAULT_FLAKINESS_OPTIONS,
  FlakinessExecution,
} from './flakiness';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const HOUR = 3_600_000;

/**
 * A test's history from letters, one execution per letter, an hour apart, each on its own commit of
 * `main`: P passed, F failed, E errored, S skipped, R passed after a failed try in the run, O failed in
 * an outage run (90 % of the run failed). `at` overrides per index (commit, branch, hours).
 */
function history(
  letters: string,
  at: Record<number, Partial<FlakinessExecution> & { hours?: number }> = {},
): FlakinessExecution[] {
  return [...letters].map((letter, i) => {
    const { hours, ...override } = at[i] ?? {};
    return {
      runId: `run-${i}`,
      at: new Date(T0 + (hours ?? i) * HOUR).toISOString(),
      commit: `c${i}`,
      branch: 'main',
      status: ({ P: 'passed', R: 'passed', F: 'failed', O: 'failed', E: 'errored', S: 'skipped' } as const)[
        letter as 'P'
      ],
      retriedPass: letter === 'R',
      attempts: letter === 'R' ? 1 : 0,
      runFailingShare: letter === 'O' ? 0.9 : letter === 'F' || letter === 'E' ? 0.02 : 0,
      ...override,
    };
  });
}

const P = (n: number) => 'P'.repeat(n);
// Defaults: alpha 0.01, flag at 0.0075, clear below 0.0025; weights retry-pass 1, same commit 0.5,
// oscillation 0.5. Each execution's evidence (capped at 1) enters as score = 0.01·e + 0.99·score.

describe('classifyFlakiness', () => {
  it('calls a test that always passes stable, with zero evidence', () => {
    const verdict = classifyFlakiness(history(P(20)));
    expect(verdict.classification).toBe('stable');
    expect(verdict.score).toBe(0);
    expect(verdict.evidence).toEqual(
      expect.objectContaining({
        runs: 20,
        passes: 20,
        failures: 0,
        retryPasses: 0,
        sameCommitDisagreements: 0,
        flips: 0,
        flipRate: 0,
        flagChanges: 0,
        flaggedAt: null,
        lastStatus: 'passed',
        lastFailureAt: null,
        alpha: 0.01,
        flagThreshold: 0.0075,
        clearThreshold: 0.0025,
        outageShare: 0.8,
        minRuns: 8,
        brokenRuns: 5,
      }),
    );
  });

  it('flags a test that passes on retries: one retry-pass is enough', () => {
    // Retry-passes at 3 and 10 of 20. At 3: score = 0.01·1 = 0.01 >= 0.0075 → flagged there.
    // At the end (index 19): 0.01·0.99^16 + 0.01·0.99^9 = 0.01·(0.851458 + 0.913517) = 0.0176497
    const verdict = classifyFlakiness(history(`${P(3)}R${P(6)}R${P(9)}`));
    expect(verdict.classification).toBe('flaky');
    expect(verdict.score).toBeCloseTo(0.0176497, 6);
    expect(verdict.evidence.ewmaScore).toBe(verdict.score);
    expect(verdict.evidence).toEqual(
      expect.objectContaining({ retryPasses: 2, failures: 0, flips: 0, flagChanges: 1 }),
    );
    expect(verdict.evidence.flaggedAt).toBe(new Date(T0 + 3 * HOUR).toISOString());
  });

  it('flags a test by flips alone when they oscillate, not for one blip', () => {
    // PPPF PPPP FPPP PPPP: flips at 3 (P→F, the branch's first: a change of state, no evidence),
    // 4 (F→P reverses it: 0.5), 8 (0.5) and 9 (0.5).
    // Score at 8: 0.005·0.99^4 + 0.005 = 0.004803 + 0.005 = 0.009803 >= 0.0075 → flagged.
    // At 15: 0.005·(0.99^11 + 0.99^7 + 0.99^6) = 0.005·(0.895338 + 0.932065 + 0.941480) = 0.0138444
    const verdict = classifyFlakiness(history('PPPFPPPPFPPPPPPP'));
    expect(verdict.classification).toBe('flaky');
    expect(verdict.score).toBeCloseTo(0.0138444, 6);
    expect(verdict.evidence).toEqual(
      expect.objectContaining({ failures: 2, flips: 4, oscillations: 3, flipRate: 4 / 15, retryPasses: 0 }),
    );
    expect(verdict.evidence.flaggedAt).toBe(new Date(T0 + 8 * HOUR).toISOString());

    // One failure between passes: one oscillation, 0.005 < 0.0075. A single red build is not flaky.
    const once = classifyFlakiness(history('PPPPFPPPPPPP'));
    expect(once.classification).toBe('stable');
    expect(once.evidence).toEqual(expect.objectContaining({ flips: 2, oscillations: 1, peakScore: 0.005 }));
  });

  it('counts flips per branch: a failing feature branch next to a passing main is no flip', () => {
    // main passes throughout; a feature branch fails its first two pushes (work in progress), then
    // passes: on main no flip, on the branch one change of state (F→P). Interleaved they would flip 4 times.
    const feature = { branch: 'feature/x' };
    const verdict = classifyFlakiness(
      history('PPFPFPPPPPPP', { 2: feature, 4: feature, 6: feature, 8: feature }),
    );
    expect(verdict.classification).toBe('stable');
    expect(verdict.evidence).toEqual(expect.objectContaining({ flips: 1, oscillations: 0 }));
    expect(verdict.score).toBe(0);
  });

  it('does not compare a re-run of an older commit with the newer code of its branch', () => {
    // After 8 passes the branch runs y1 (fails), y2 (passes), y1 again (fails: the old code), y3
    // (passes). In plain time order P…P F P F P has 4 flips and 3 oscillations (0.015: flagged). The
    // re-run of y1 is compared with y1 instead (it failed both times: no disagreement), which leaves
    // P…P F P P: 2 flips, 1 oscillation, score 0.005·0.99² (not flagged).
    const verdict = classifyFlakiness(
      history(`${P(8)}FPFP`, {
        8: { commit: 'y1' },
        9: { commit: 'y2' },
        10: { commit: 'y1' },
        11: { commit: 'y3' },
      }),
    );
    expect(verdict.evidence).toEqual(
      expect.objectContaining({ flips: 2, oscillations: 1, sameCommitDisagreements: 0 }),
    );
    expect(verdict.classification).toBe('stable');
  });

  it('counts same-commit disagreements, scoring them when the two outcomes are close in time', () => {
    // 12 runs as in the end-to-end suite: failures at 2, 5, 9, retry-passes at 3, 7, 10, and run 6
    // re-tests commit c5 (failed at 5) and passes: a disagreement (0.5) and an oscillation (0.5) at once.
    const runs = history('PPFRPFPRPFRP', { 6: { commit: 'c5' } });
    const verdict = classifyFlakiness(runs);
    expect(verdict.classification).toBe('flaky');
    expect(verdict.evidence).toEqual(
      expect.objectContaining({
        retryPasses: 3,
        sameCommitDisagreements: 1,
        sameCommitDisagreementsScored: 1,
      }),
    );

    // Without retries and flips, a disagreement alone weighs 0.5 → 0.005 (not flagged); a second on
    // another commit 2 runs later: 0.005·0.99² + 0.005 = 0.0099005 → flagged. Both are first runs
    // of their branch (no flips): feature/a fails c1, main passes c1 an hour later; same for c2.
    const twice = history(`${P(8)}FPFP`, {
      8: { commit: 'x1', branch: 'feature/a' },
      9: { commit: 'x1' },
      10: { commit: 'x2', branch: 'feature/b' },
      11: { commit: 'x2' },
    });
    const flagged = classifyFlakiness(twice);
    expect(flagged.evidence).toEqual(
      expect.objectContaining({ flips: 0, sameCommitDisagreements: 2, sameCommitDisagreementsScored: 2 }),
    );
    expect(flagged.score).toBeCloseTo(0.0099005, 7);
    expect(flagged.classification).toBe('flaky');
    expect(classifyFlakiness(twice.slice(0, 10)).classification).toBe('stable');

    // The same outcomes three days apart: the world changed in between (a dependency, the data), so
    // they are counted but do not score.
    const late = history(`${P(8)}FPFP`, {
      8: { commit: 'x1', branch: 'feature/a' },
      9: { commit: 'x1', hours: 80 },
      10: { commit: 'x2', branch: 'feature/b', hours: 81 },
      11: { commit: 'x2', hours: 160 },
    });
    const unscored = classifyFlakiness(late);
    expect(unscored.evidence).toEqual(
      expect.objectContaining({ sameCommitDisagreements: 2, sameCommitDisagreementsScored: 0 }),
    );
    expect(unscored.score).toBe(0);
    expect(unscored.classification).toBe('stable');
  });

  it('calls a test failing every run since some point broken, never flaky', () => {
    const broken = classifyFlakiness(history(`${P(10)}FFFEFF`));
    expect(broken.classification).toBe('broken');
    expect(broken.score).toBe(0);
    expect(broken.evidence).toEqual(
      expect.objectContaining({ trailingFailures: 6, flips: 1, oscillations: 0, lastStatus: 'failed' }),
    );
    expect(broken.evidence.lastFailureAt).toBe(new Date(T0 + 15 * HOUR).toISOString());

    // Failing for days from the first run: broken too.
    expect(classifyFlakiness(history('F'.repeat(30))).classification).toBe('broken');
    // Flaky evidence earlier does not matter once it fails every run: it is broken now.
    const wasFlaky = classifyFlakiness(history(`PPRPPPPPPP${'F'.repeat(5)}`));
    expect(wasFlaky.score).toBeGreaterThan(DEFAULT_FLAKINESS_OPTIONS.flagThreshold);
    expect(wasFlaky.classification).toBe('broken');
    // Four failures in a row are not enough with brokenRuns 5, three are with brokenRuns 3.
    expect(classifyFlakiness(history(`${P(10)}FFFF`)).classification).toBe('stable');
    expect(classifyFlakiness(history(`${P(10)}FFF`), { brokenRuns: 3 }).classification).toBe('broken');
  });

  it('calls a fixed test (failed, passes consistently since) stable', () => {
    const verdict = classifyFlakiness(history(`${'F'.repeat(10)}${P(10)}`));
    expect(verdict.classification).toBe('stable');
    expect(verdict.score).toBe(0);
    expect(verdict.evidence).toEqual(
      expect.objectContaining({ failures: 10, passes: 10, flips: 1, oscillations: 0, trailingFailures: 0 }),
    );
    expect(verdict.evidence.lastFailureAt).toBe(new Date(T0 + 9 * HOUR).toISOString());
  });

  it('ignores outage runs and skips, and counts them', () => {
    // Outage runs (90 % of the run failed) between passes would be 6 oscillations.
    const letters = `${P(4)}O${P(4)}O${P(4)}O${P(4)}SS`;
    const verdict = classifyFlakiness(history(letters));
    expect(verdict.classification).toBe('stable');
    expect(verdict.evidence).toEqual(
      expect.objectContaining({ runs: 16, outageRunsDropped: 3, skipped: 2, failures: 0, flips: 0 }),
    );
    // Counted as evidence (outageShare above their 90 %), they make the test look flaky.
    expect(classifyFlakiness(history(letters), { outageShare: 0.95 }).classification).toBe('flaky');
  });

  it('holds the flag while the score hovers between the thresholds (hysteresis)', () => {
    // alpha 0.1, flag at 0.15, clear below 0.05; a retry-pass every 6th run:
    // R R: 0.1, 0.19 → flagged; 5 passes: 0.19·0.9^5 = 0.112193 (below 0.15, above 0.05);
    // R: 0.1 + 0.9·0.112193 = 0.200974; ... in the long run the score moves between
    // 0.1/(1 − 0.9^6) = 0.213421 right after a retry-pass and 0.213421·0.9^5 = 0.126025 before the next.
    const hovering = history(`RR${'PPPPPR'.repeat(8)}PPPPP`);
    const options = { alpha: 0.1, flagThreshold: 0.15, clearThreshold: 0.05 };
    const verdict = classifyFlakiness(hovering, options);
    expect(verdict.classification).toBe('flaky');
    expect(verdict.evidence.flagChanges).toBe(1);
    expect(verdict.score).toBeLessThan(0.15);
    expect(verdict.score).toBeGreaterThan(0.05);
    // Without hysteresis (clear just below flag, no minimum quiet period) the flag blinks.
    const blinking = classifyFlakiness(hovering, { ...options, clearThreshold: 0.1499, minRuns: 1 });
    expect(blinking.evidence.flagChanges).toBeGreaterThan(10);
  });

  it('clears the flag after a long quiet: 138 clean runs after one retry-pass', () => {
    // One retry-pass: score 0.01, then 0.01·0.99^k < 0.0025 once 0.99^k < 0.25: k > ln 0.25 / ln 0.99
    // = 137.9, so it clears at the 138th clean execution.
    const cleared = classifyFlakiness(history(`R${P(138)}`));
    expect(cleared.classification).toBe('stable');
    expect(cleared.evidence).toEqual(expect.objectContaining({ flagChanges: 2, flaggedAt: null }));
    expect(cleared.evidence.peakScore).toBeCloseTo(0.01, 12);
    expect(classifyFlakiness(history(`R${P(137)}`)).classification).toBe('flaky');
  });

  it('says insufficient-data below minRuns executions that count', () => {
    expect(classifyFlakiness(history(P(7))).classification).toBe('insufficient-data');
    const skipped = classifyFlakiness(history(`${P(6)}SSSS`));
    expect(skipped.classification).toBe('insufficient-data');
    expect(skipped.evidence).toEqual(expect.objectContaining({ runs: 6, skipped: 4 }));
    expect(classifyFlakiness([]).classification).toBe('insufficient-data');
    expect(classifyFlakiness(history(P(4)), { minRuns: 4 }).classification).toBe('stable');
  });

  it('reads executions in time order and refuses inconsistent options', () => {
    const ordered = history('PPPFPPPPFPPPPPPP');
    const shuffled = [...ordered].reverse();
    expect(classifyFlakiness(shuffled)).toEqual(classifyFlakiness(ordered));
    expect(() => classifyFlakiness(ordered, { clearThreshold: 0.01 })).toThrow(RangeError);
    expect(() => classifyFlakiness(ordered, { alpha: 0 })).toThrow(RangeError);
    expect(() => classifyFlakiness(ordered, { minRuns: 0 })).toThrow(RangeError);
    expect(() => classifyFlakiness(ordered, { oscillationWeight: 2 })).toThrow(RangeError);
  });
});

describe('classifyWithoutFailures', () => {
  it('classifies a history without failures or retry passes as classifyFlakiness does', () => {
    const cases: Array<[string, Record<number, Partial<FlakinessExecution>>]> = [
      ['', {}],
      [P(7), {}],
      [P(8), {}],
      ['PSPSPSPSPSPSPS', {}],
      [P(9), { 0: { runFailingShare: 0.95 }, 4: { runFailingShare: 0.8 } }],
      [P(30), { 3: { branch: 'feature' }, 5: { commit: 'c4' } }],
    ];
    for (const [letters, at] of cases) {
      const executions = history(letters, at);
      const counted = executions.filter(
        (e) => e.status !== 'skipped' && e.runFailingShare < DEFAULT_FLAKINESS_OPTIONS.outageShare,
      ).length;
      expect(classifyWithoutFailures(counted)).toBe(classifyFlakiness(executions).classification);
    }
    expect(classifyWithoutFailures(3, { minRuns: 3 })).toBe('stable');
    expect(classifyWithoutFailures(2, { minRuns: 3 })).toBe('insufficient-data');
  });
});
