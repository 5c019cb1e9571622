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
  const suites: string[] = [];
  const suiteIndex = new Map<string, number>();
  const suiteOf = Buffer.alloc(results.length * 2);
  results.forEach((r, i) => {
    let index = suiteIndex.get(r.suite);
    if (index === undefined) {
      index = suites.push(r.suite) - 1;
      suiteIndex.set(r.suite, index);
    }
    suiteOf.writeUInt16LE(index, i * 2);
  });
  return {
    _id: resultBatchId(run.project, run.runId, batch),
    project: run.project,
    runId: run.runId,
    batch,
    day: run.day,
    count: results.length,
    outcomes: packed.outcomes,
    failures: packed.failures,
    suites,
    suiteOf,
  };
}

/** The facts of every result a manifest lists, in the batch's order. */
export function readResultBatch(
  doc: Pick<ResultBatch, '_id' | 'outcomes' | 'failures' | 'suites' | 'suiteOf'>,
): ResultFacts[] {
  const outcomes = unpackOutcomes(bytesOf(doc.outcomes), bytesOf(doc.failures));
  const suiteOf = bytesOf(doc.suiteOf);
  if (suiteOf.byteLength !== outcomes.length * 2)
    throw new Error(
      `result batch ${doc._id} lists ${suiteOf.byteLength / 2} suites for ${outcomes.length} outcomes`,
    );
  return outcomes.map((outcome, index) => {
    const suite = doc.suites[suiteOf.readUInt16LE(index * 2)];
    if (suite === undefined) throw new Error(`result batch ${doc._id}: result ${index} has no suite`);
    return {
      id: `${doc._id}|${index}`,
      testId: outcome.testId,
      suite,
      status: outcome.status,
      flaky: outcome.flaky,
      durationMs: outcome.durationMs,
      attempts: outcome.attempts,
      ...(outcome.fingerprint ? { fingerprint: outcome.fingerprint } : {}),
    };
  });
}
