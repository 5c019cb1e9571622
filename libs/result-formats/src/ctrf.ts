import { RESULT_LIMITS } from '@testpulse/contracts';
import type { Attempt, ResultError, ResultStatus, TestResult } from '@testpulse/domain';
import { ResultFormatError } from './errors';
import { parseJsonText } from './json';
import { type ParsedReport, countSuites } from './report';
import { bounded, clampDuration, firstLine, normalizeTimestamp, truncate } from './text';

export const CTRF_STATUSES = ['passed', 'failed', 'skipped', 'pending', 'other'] as const;
export type CtrfStatus = (typeof CTRF_STATUSES)[number];

/** Joins the levels of a CTRF suite path (`["Authentication", "Login"]`). */
export const SUITE_SEPARATOR = ' › ';

/** `rawStatus` values (what the runner itself said) that mean the test broke rather than did not run. */
const ERROR_LIKE = /error|broken|crash|timed.?out|timeout|interrupt|abort|panic/i;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(path: string, message: string): never {
  throw new ResultFormatError(`${path} ${message}`, { path });
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') problem(path, 'must be a string');
  return value;
}

function optionalNumber(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) problem(path, 'must be a number');
  return value;
}

function duration(value: unknown, path: string): number {
  const ms = optionalNumber(value, path);
  if (ms !== undefined && ms < 0) problem(path, 'must not be negative');
  return clampDuration(ms ?? 0);
}

function status(value: unknown, path: string): CtrfStatus {
  if (!CTRF_STATUSES.includes(value as CtrfStatus)) {
    problem(path, `must be one of ${CTRF_STATUSES.join(', ')} (got ${JSON.stringify(value) ?? 'nothing'})`);
  }
  return value as CtrfStatus;
}

function lines(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return bounded(value, RESULT_LIMITS.output);
  if (!Array.isArray(value)) problem(path, 'must be an array of strings');
  value.forEach((line, i) => {
    if (typeof line !== 'string') problem(`${path}[${i}]`, 'must be a string');
  });
  return bounded((value as string[]).join('\n'), RESULT_LIMITS.output);
}

/**
 * CTRF status → platform status: passed → passed, failed → failed, skipped and pending → skipped.
 * `other` (todo, xfail, an outcome the producer could not classify) → skipped, unless the test shows
 * that it broke: a `rawStatus` such as timedOut/interrupted/broken/error, or (without a rawStatus) a
 * failure message or trace → errored.
 */
export function mapCtrfStatus(
  value: CtrfStatus,
  test: { rawStatus?: unknown; message?: unknown; trace?: unknown } = {},
): ResultStatus {
  switch (value) {
    case 'passed':
    case 'failed':
    case 'skipped':
      return value;
    case 'pending':
      return 'skipped';
    case 'other': {
      const broke =
        typeof test.rawStatus === 'string'
          ? ERROR_LIKE.test(test.rawStatus)
          : Boolean(test.message) || Boolean(test.trace);
      return broke ? 'errored' : 'skipped';
    }
  }
}

function suiteOf(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() || undefined;
  if (!Array.isArray(value)) problem(path, 'must be a string or an array of strings');
  const levels = value.map((level, i) => {
    if (typeof level !== 'string') problem(`${path}[${i}]`, 'must be a string');
    return level.trim();
  });
  return levels.filter(Boolean).join(SUITE_SEPARATOR) || undefined;
}

function tagsOf(value: unknown, path: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) problem(path, 'must be an array of strings');
  const tags = new Set<string>();
  value.forEach((tag, i) => {
    if (typeof tag !== 'string') problem(`${path}[${i}]`, 'must be a string');
    const trimmed = tag.trim();
    if (trimmed && tags.size < RESULT_LIMITS.tags) tags.add(truncate(trimmed, RESULT_LIMITS.tag));
  });
  return tags.size > 0 ? [...tags] : undefined;
}

/**
 * CTRF retries → earlier attempts, oldest first. `retryAttempts` lists every execution (attempt 1 is the
 * first); the last one is the final outcome already given by the test's own status, so it is left out
 * when the list has more entries than `retries`, or (without `retries`) when it ends the way the test did.
 * A report that gives only a `retries` count gets that many failed attempts (a retry follows a failure)
 * without durations.
 */
function attemptsOf(test: Json, final: ResultStatus, path: string): Attempt[] | undefined {
  const retries = optionalNumber(test.retries, `${path}.retries`);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 0)) {
    problem(`${path}.retries`, 'must be a non-negative integer');
  }
  const listed = test.retryAttempts;
  if (listed === undefined || listed === null) {
    if (!retries || final === 'skipped') return undefined;
    return Array.from({ length: Math.min(retries, RESULT_LIMITS.attempts) }, () => ({
      status: 'failed' as const,
      durationMs: 0,
    }));
  }
  if (!Array.isArray(listed)) problem(`${path}.retryAttempts`, 'must be an array');
  const attempts = listed.map((entry, i) => {
    const at = `${path}.retryAttempts[${i}]`;
    if (!isObject(entry)) problem(at, 'must be an object');
    const number = optionalNumber(entry.attempt, `${at}.attempt`) ?? i + 1;
    const message = optionalString(entry.message, `${at}.message`);
    const trace = optionalString(entry.trace, `${at}.trace`);
    const attempt: Attempt = {
      status: mapCtrfStatus(status(entry.status, `${at}.status`), { ...entry }),
      durationMs: duration(entry.duration, `${at}.duration`),
    };
    const text = message?.trim() ? message : firstLine(trace);
    if (text) attempt.message = truncate(text, RESULT_LIMITS.errorMessage);
    return { number, attempt };
  });
  attempts.sort((a, b) => a.number - b.number);
  const last = attempts[attempts.length - 1];
  const includesFinal =
    last !== undefined && (retries !== undefined ? attempts.length > retries : last.attempt.status === final);
  const earlier = (includesFinal ? attempts.slice(0, -1) : attempts).map((a) => a.attempt);
  return earlier.length > 0 ? earlier.slice(-RESULT_LIMITS.attempts) : undefined;
}

function testOf(test: unknown, path: string): TestResult {
  if (!isObject(test)) problem(path, 'must be an object');
  const name = test.name;
  if (typeof name !== 'string' || name.trim().length === 0)
    problem(`${path}.name`, 'must be a non-empty string');
  const final = mapCtrfStatus(status(test.status, `${path}.status`), test);
  const file = optionalString(test.filePath, `${path}.filePath`)?.trim() || undefined;
  const suite = suiteOf(test.suite, `${path}.suite`) ?? file ?? '(root)';
  const result: TestResult = {
    suite: truncate(suite, RESULT_LIMITS.suite),
    name: truncate(name.trim(), RESULT_LIMITS.name),
    status: final,
    durationMs: duration(test.duration, `${path}.duration`),
  };
  if (file) result.file = truncate(file, RESULT_LIMITS.file);

  const message = optionalString(test.message, `${path}.message`);
  const trace = optionalString(test.trace, `${path}.trace`);
  if (final === 'failed' || final === 'errored') {
    const error: ResultError = {};
    const text = message?.trim() ? message : firstLine(trace);
    if (text) error.message = truncate(text, RESULT_LIMITS.errorMessage);
    if (trace?.trim()) error.stack = truncate(trace, RESULT_LIMITS.errorStack);
    if (error.message || error.stack) result.error = error;
  }
  const attempts = attemptsOf(test, final, path);
  if (attempts) result.attempts = attempts;
  if (test.flaky !== undefined && test.flaky !== null) {
    if (typeof test.flaky !== 'boolean') problem(`${path}.flaky`, 'must be a boolean');
    if (test.flaky) result.flaky = true;
  }
  const tags = tagsOf(test.tags, `${path}.tags`);
  if (tags) result.tags = tags;
  const systemOut = lines(test.stdout, `${path}.stdout`);
  const systemErr = lines(test.stderr, `${path}.stderr`);
  if (systemOut) result.systemOut = systemOut;
  if (systemErr) result.systemErr = systemErr;
  return result;
}

/**
 * Reads a CTRF report (Common Test Report Format, https://ctrf.io), given parsed or as JSON text.
 * Older reports without `reportFormat`/`specVersion` are accepted; `results.tests` is required, and
 * every test needs a `name` and a `status`. Errors name the JSON path, e.g.
 * `results.tests[3].status must be one of passed, failed, skipped, pending, other`.
 *
 * Mapping: see `mapCtrfStatus`; `retries`/`retryAttempts` → attempts; `flaky: true` → flaky; `duration`
 * (ms); `suite` (string, or an array joined with " › "; else `filePath`, else "(root)"); `filePath` →
 * file; `message`/`trace` → error; `tags`; `stdout`/`stderr` → output.
 */
export function parseCtrf(json: unknown): ParsedReport {
  const doc = typeof json === 'string' || json instanceof Uint8Array ? parseJsonText(json) : json;
  if (!isObject(doc)) throw new ResultFormatError('a CTRF report must be a JSON object');
  if (doc.reportFormat !== undefined && doc.reportFormat !== 'CTRF')
    problem('reportFormat', 'must be "CTRF"');
  optionalString(doc.specVersion, 'specVersion');
  const results = doc.results;
  if (!isObject(results)) problem('results', 'must be an object (with a tests array)');
  if (!Array.isArray(results.tests)) problem('results.tests', 'must be an array');

  const tests = results.tests.map((test, i) => testOf(test, `results.tests[${i}]`));
  const report: ParsedReport = { format: 'ctrf', suites: countSuites(tests), results: tests };

  if (results.summary !== undefined) {
    const summary = results.summary;
    if (!isObject(summary)) problem('results.summary', 'must be an object');
    const start = optionalNumber(summary.start, 'results.summary.start');
    const stop = optionalNumber(summary.stop, 'results.summary.stop');
    const stated = optionalNumber(summary.duration, 'results.summary.duration');
    const startedAt = start ? normalizeTimestamp(start) : undefined;
    const finishedAt = stop ? normalizeTimestamp(stop) : undefined;
    if (startedAt) report.startedAt = startedAt;
    if (finishedAt) report.finishedAt = finishedAt;
    if (stated !== undefined && stated >= 0) report.durationMs = Math.round(stated);
    else if (start && stop && startedAt && finishedAt && stop >= start)
      report.durationMs = Math.round(stop - start);
  }

  if (results.environment !== undefined && results.environment !== null) {
    const env = results.environment;
    if (!isObject(env)) problem('results.environment', 'must be an object');
    const pick = (key: string, limit: number) =>
      bounded(optionalString(env[key], `results.environment.${key}`)?.trim(), limit);
    const name = pick('reportName', 500) ?? pick('buildName', 500);
    const branch = pick('branchName', 300);
    const commit = pick('commit', 100);
    const environment = pick('testEnvironment', 200);
    Object.assign(
      report,
      Object.fromEntries(Object.entries({ name, branch, commit, environment }).filter(([, v]) => v)),
    );
  }
  return report;
}
