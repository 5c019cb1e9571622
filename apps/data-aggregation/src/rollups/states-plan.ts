import { RunState } from '@testpulse/contracts';
import { ResultStatus, RunSummary, TestState, packStates } from '@testpulse/domain';
import { DayRunStates } from './schemas/day-states.schema';

export interface StateInput {
  /** The stored result's `_id`, kept as an example of its fingerprint. */
  id?: string;
  testId: string;
  status: ResultStatus;
  flaky: boolean;
  fingerprint?: string;
}

export interface StatesRun {
  project: string;
  runId: string;
  day: string;
  startedAt: Date;
  finishedAt?: Date;
  branch?: string;
  commit?: string;
  environment?: string;
}

const failing = (status: ResultStatus) => status === 'failed' || status === 'errored';

const resultPrefix = (run: Pick<StatesRun, 'project' | 'runId'>) => `${run.project}|${run.runId}|`;

/** `fingerprint → result _id` as `fingerprint rest-of-id` lines (see DayRunStates.examples). */
function packExamples(run: StatesRun, examples: ReadonlyMap<string, string>): string {
  const prefix = resultPrefix(run);
  return [...examples]
    .map(([fingerprint, id]) => `${fingerprint} ${id.startsWith(prefix) ? id.slice(prefix.length) : id}`)
    .join('\n');
}

/** The examples of a run's states entry: `[fingerprint, result _id]`. */
export function unpackExamples(
  run: Pick<StatesRun, 'project' | 'runId'>,
  examples: string | undefined,
): Array<[string, string]> {
  if (!examples) return [];
  const prefix = resultPrefix(run);
  return examples.split('\n').map((line): [string, string] => {
    const space = line.indexOf(' ');
    return [line.slice(0, space), `${prefix}${line.slice(space + 1)}`];
  });
}

/**
 * A finished run's entry in its day's states. Executions of tests without an ordinal (not in the
 * catalogue) are left out of the states and counted as `unnumbered`; they still count in runTests
 * and runFailing.
 */
export function planRunStates(
  run: StatesRun,
  status: RunState,
  summary: RunSummary,
  results: readonly StateInput[],
  ordinals: ReadonlyMap<string, number>,
): { entry: DayRunStates; unnumbered: number } {
  const entries: TestState[] = [];
  const examples = new Map<string, string>();
  for (const r of results) {
    const fingerprint = failing(r.status) ? r.fingerprint : undefined;
    if (fingerprint && r.id && !examples.has(fingerprint)) examples.set(fingerprint, r.id);
    const ordinal = ordinals.get(r.testId);
    if (ordinal === undefined) continue;
    entries.push({ ordinal, status: r.status, flaky: r.flaky, ...(fingerprint ? { fingerprint } : {}) });
  }
  const packed = packStates(entries);
  return {
    entry: {
      runId: run.runId,
      startedAt: run.startedAt,
      ...(run.finishedAt ? { finishedAt: run.finishedAt } : {}),
      status,
      ...(run.branch ? { branch: run.branch } : {}),
      ...(run.commit ? { commit: run.commit } : {}),
      ...(run.environment ? { environment: run.environment } : {}),
      summary,
      runTests: results.length,
      runFailing: results.filter((r) => failing(r.status)).length,
      states: packed.states,
      failures: packed.failures,
      examples: packExamples(run, examples),
    },
    unnumbered: results.length - entries.length,
  };
}
