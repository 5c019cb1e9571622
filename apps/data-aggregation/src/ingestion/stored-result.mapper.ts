import { RunView, StoredResultView, TestResultDto } from '@testpulse/contracts';
import { failureFingerprint, isFlaky, testId } from '@testpulse/domain';
import { RunRecord } from '../runs/runs.repository';
import { storedResultId } from '../results/schemas/result-batch.schema';
import { StoredResult } from '../results/schemas/result.schema';

/** What is kept of one result: long texts are cut here (the API accepts more, storage stays bounded). */
export const STORED_LIMITS = {
  message: 8 * 1024,
  stack: 16 * 1024,
  output: 8 * 1024,
  attemptMessage: 2 * 1024,
};

const cut = (text: string | undefined, max: number): string | undefined =>
  text === undefined || text.length <= max
    ? text
    : `${text.slice(0, max)}… [truncated ${text.length - max} chars]`;

export function toStoredResult(
  run: RunRecord,
  batchKey: string,
  index: number,
  result: TestResultDto,
): StoredResult {
  const failing = result.status === 'failed' || result.status === 'errored';
  const error = result.error
    ? {
        ...(result.error.type ? { type: result.error.type } : {}),
        ...(result.error.message ? { message: cut(result.error.message, STORED_LIMITS.message) } : {}),
        ...(result.error.stack ? { stack: cut(result.error.stack, STORED_LIMITS.stack) } : {}),
      }
    : undefined;
  return {
    _id: storedResultId(run.project, run.runId, batchKey, index),
    project: run.project,
    runId: run.runId,
    testId: testId(run.project, result.suite, result.name, result.file),
    suite: result.suite,
    name: result.name,
    ...(result.file ? { file: result.file } : {}),
    status: result.status,
    flaky: isFlaky(result),
    durationMs: result.durationMs,
    attempts: (result.attempts ?? []).map((a) => ({
      status: a.status,
      durationMs: a.durationMs,
      ...(a.message ? { message: cut(a.message, STORED_LIMITS.attemptMessage) } : {}),
    })),
    ...(error ? { error } : {}),
    ...(failing && result.error ? { fingerprint: failureFingerprint(result.error).hash } : {}),
    tags: result.tags ?? [],
    ...(result.systemOut ? { systemOut: cut(result.systemOut, STORED_LIMITS.output) } : {}),
    ...(result.systemErr ? { systemErr: cut(result.systemErr, STORED_LIMITS.output) } : {}),
    ...(run.branch ? { branch: run.branch } : {}),
    ...(run.commit ? { commit: run.commit } : {}),
    day: run.day,
    at: run.startedAt,
  };
}

export function toResultView(doc: StoredResult): StoredResultView {
  return {
    testId: doc.testId,
    suite: doc.suite,
    name: doc.name,
    ...(doc.file ? { file: doc.file } : {}),
    status: doc.status,
    flaky: doc.flaky,
    durationMs: doc.durationMs,
    attempts: doc.attempts ?? [],
    ...(doc.error || doc.fingerprint ? { error: { ...doc.error, fingerprint: doc.fingerprint ?? '' } } : {}),
    tags: doc.tags ?? [],
    ...(doc.systemOut ? { systemOut: doc.systemOut } : {}),
    ...(doc.systemErr ? { systemErr: doc.systemErr } : {}),
  };
}

export function toRunView(run: RunRecord): RunView {
  return {
    project: run.project,
    runId: run.runId,
    ...(run.name ? { name: run.name } : {}),
    ...(run.branch ? { branch: run.branch } : {}),
    ...(run.commit ? { commit: run.commit } : {}),
    ...(run.environment ? { environment: run.environment } : {}),
    status: run.status,
    complete: run.complete,
    startedAt: run.startedAt.toISOString(),
    ...(run.finishedAt ? { finishedAt: run.finishedAt.toISOString() } : {}),
    summary: run.summary ?? run.live,
    source: run.source,
  };
}
