import { ResultStatus, packOutcomes, unpackOutcomes } from '@testpulse/domain';
import { bytesOf } from '../storage/bytes';
import { ResultBatch, resultBatchId } from './schemas/result-batch.schema';
import { StoredResult } from './schemas/result.schema';

/** What finalisation and drill-down know of one stored result without reading it. */
export interface ResultFacts {
  /** The stored result's `_id`. */
  id: string;
  testId: string;
  suite: string;
  name: string;
  file?: string;
  status: ResultStatus;
  flaky: boolean;
  durationMs: number;
  /** Tries before the final one. */
  attempts: number;
  fingerprint?: string;
}

type BatchRun = { project: string; runId: string; day: string };

/** The manifest of a batch: `results` are the batch's documents, in order, all of them. */
export function toResultBatch(run: BatchRun, batch: string, results: readonly StoredResult[]): ResultBatch {
  const packed = packOutcomes(
    results.map((r) => ({
      testId: r.testId,
      status: r.status,
      flaky: r.flaky,
      attempts: r.attempts?.length ?? 0,
      durationMs: r.durationMs,
      ...((r.status === 'failed' || r.status === 'errored') && r.fingerprint
        ? { fingerprint: r.fingerprint }
        : {}),
    })),
  );
  return {
    _id: resultBatchId(run.project, run.runId, batch),
    project: run.project,
    runId: run.runId,
    batch,
    day: run.day,
    count: results.length,
    outcomes: packed.outcomes,
    failures: packed.failures,
    tests: JSON.stringify(results.map((r) => (r.file ? [r.suite, r.name, r.file] : [r.suite, r.name]))),
  };
}

/** The facts of every result a manifest lists, in the batch's order. */
export function readResultBatch(
  doc: Pick<ResultBatch, '_id' | 'outcomes' | 'failures' | 'tests'>,
): ResultFacts[] {
  const outcomes = unpackOutcomes(bytesOf(doc.outcomes), bytesOf(doc.failures));
  const tests = JSON.parse(doc.tests) as Array<[string, string, string?]>;
  if (tests.length !== outcomes.length)
    throw new Error(`result batch ${doc._id} lists ${tests.length} tests for ${outcomes.length} outcomes`);
  return outcomes.map((outcome, index) => {
    const [suite, name, file] = tests[index];
    return {
      id: `${doc._id}|${index}`,
      testId: outcome.testId,
      suite,
      name,
      ...(file ? { file } : {}),
      status: outcome.status,
      flaky: outcome.flaky,
      durationMs: outcome.durationMs,
      attempts: outcome.attempts,
      ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
    };
  });
}
