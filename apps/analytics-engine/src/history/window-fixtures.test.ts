// Builders of history views for the unit specs (a `.test.ts` module: not built, not a suite).
import { PackedRunOutcomesView, RunHeader } from '@testpulse/contracts';
import { TestOutcome, packOutcomes } from '@testpulse/domain';

/** A test id (24 hex digits) from a number. */
export const testIdOf = (n: number): string => n.toString(16).padStart(24, '0');

/** A finished run of branch main, commit `c-<runId>`. */
export const runHeader = (runId: string, startedAt: string): RunHeader => ({
  runId,
  day: startedAt.slice(0, 10),
  startedAt,
  status: 'finished',
  branch: 'main',
  commit: `c-${runId}`,
  summary: { tests: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, durationMs: 0 },
});

/** A run's outcomes packed as data-aggregation sends them, in one part. */
export const packedOutcomes = (runId: string, outcomes: TestOutcome[]): PackedRunOutcomesView => {
  const { outcomes: bytes, failures } = packOutcomes(outcomes);
  return {
    runId,
    tests: outcomes.length,
    failing: 0,
    parts: [{ outcomes: bytes.toString('base64'), failures: failures.toString('base64') }],
  };
};
