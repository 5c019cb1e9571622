import { RESULT_LIMITS } from '@testpulse/contracts';
import type { Attempt, ResultError, ResultStatus, TestResult } from '@testpulse/domain';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { ResultFormatError } from './errors';
import { type ReadOptions, type ReportInput, textPieces } from './input';
import { type ParsedReport, countSuites } from './report';
import { boundParserBuffers } from './saxes-guard';
import { BoundedText, bounded, firstLine, normalizeTimestamp, secondsToMs, truncate } from './text';

export type JUnitOptions = ReadOptions;

/** Deeper element nesting than this is refused (real reports nest a few levels). */
const MAX_DEPTH = 256;
/** Text kept of a rerun's trace: only its first line is used. */
const ATTEMPT_TEXT_CHARS = 4096;
const ROOTS = ['testsuites', 'testsuite'];
/** Roots of other test report formats, to say what a file is when it is not JUnit. */
const OTHER_FORMATS: Record<string, string> = {
  TestRun: 'a Visual Studio TRX file',
  'test-run': 'an NUnit 3 result file',
  'test-results': 'an NUnit 2 result file',
  assemblies: 'an xUnit.net v2 result file',
  'testng-results': 'a TestNG result file (use its JUnit reports instead)',
  html: 'an HTML page',
};

/** Surefire/Failsafe rerun elements: earlier tries of a case, oldest first. */
const RERUNS: Record<string, ResultStatus> = {
  flakyFailure: 'failed',
  flakyError: 'errored',
  rerunFailure: 'failed',
  rerunError: 'errored',
};

interface Outcome {
  status: 'failed' | 'errored';
  type?: string;
  message?: string;
  text: BoundedText;
}

interface AttemptFrame {
  status: ResultStatus;
  durationMs: number;
  type?: string;
  message?: string;
  text: BoundedText;
}

interface CaseFrame {
  depth: number;
  suite: string;
  name: string;
  file?: string;
  durationMs: number;
  outcomes: Outcome[];
  skipped: boolean;
  attempts: AttemptFrame[];
  systemOut?: BoundedText;
  systemErr?: BoundedText;
  tags: Set<string>;
}

interface SuiteFrame {
  name?: string;
  /** Index of the suite's first result. */
  start: number;
  systemOut?: BoundedText;
  systemErr?: BoundedText;
}

interface Capture {
  depth: number;
  /** undefined: character data inside this element is dropped. */
  sink?: BoundedText;
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function errorOf(outcome: Outcome): ResultError | undefined {
  const stack = outcome.text.value(true) || undefined;
  const error: ResultError = {
    type: bounded(outcome.type, RESULT_LIMITS.errorType),
    message: bounded(outcome.message ?? firstLine(stack), RESULT_LIMITS.errorMessage),
    stack,
  };
  for (const key of ['type', 'message', 'stack'] as const) if (error[key] === undefined) delete error[key];
  return Object.keys(error).length > 0 ? error : undefined;
}

/**
 * Streams a JUnit XML report (any common dialect) into normalized results: pieces are parsed as they
 * arrive, no DOM is built, and only the results (with bounded texts) are kept.
 *
 * - roots `<testsuites>` or `<testsuite>`, nested suites; suite = nearest named `<testsuite>`, else the
 *   case's `classname`, else `(root)`;
 * - per `<testcase>`: `<error>` → errored, `<failure>` → failed, `<skipped>` → skipped, else passed, in
 *   that precedence; error type, message (attribute, else first line of the text) and stack (the text);
 * - Surefire `flakyFailure`/`flakyError`/`rerunFailure`/`rerunError` → earlier attempts;
 * - `system-out`/`system-err` of a case are kept (truncated); those of a suite go to its failed and
 *   errored cases that have none of their own;
 * - times in seconds → milliseconds;
 * - security: a DOCTYPE is refused (no entity is ever expanded), undefined entities are errors,
 *   processing instructions are ignored.
 *
 * Empty input and a root that is not `testsuites`/`testsuite` are `ResultFormatError`s; a report
 * without cases is an empty run.
 */
export async function parseJUnit(input: ReportInput, options: JUnitOptions = {}): Promise<ParsedReport> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const results: TestResult[] = [];
  const elements: string[] = [];
  const suites: SuiteFrame[] = [];
  const captures: Capture[] = [];
  let testCase: CaseFrame | undefined;
  let attempt: AttemptFrame | undefined;
  let sawRoot = false;
  let report: Pick<ParsedReport, 'name' | 'startedAt' | 'durationMs'> = {};
  const topLevelSuites: Array<{ time?: string; timestamp?: string }> = [];

  const where = () => ({ line: parser.line, column: parser.column });
  const fail = (message: string): never => {
    throw new ResultFormatError(message, where());
  };
  const sink = (): BoundedText | undefined => captures[captures.length - 1]?.sink;
  const onText = (text: string) => sink()?.append(text);
  const capture = (target: BoundedText | undefined) => {
    captures.push({ depth: elements.length, sink: target });
    if (target) parser.on('text', onText);
    else parser.off('text');
  };

  parser.on('error', (error) => {
    // Control characters (ANSI colour codes in test output, say) are not allowed in XML 1.0 but are
    // common in real reports: keep them rather than refuse the whole report.
    if (/disallowed character\.$/.test(error.message)) return;
    fail(error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, ''));
  });
  parser.on('doctype', () => fail('DOCTYPE declarations are not accepted in test reports'));
  parser.on('cdata', onText);

  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const attrs = tag.attributes;
    const parent = elements[elements.length - 1];
    elements.push(name);
    if (elements.length > MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH} levels`);

    if (!sawRoot) {
      sawRoot = true;
      if (!ROOTS.includes(name)) {
        const hint = OTHER_FORMATS[name] ? ` (this looks like ${OTHER_FORMATS[name]})` : '';
        fail(`not a JUnit XML report: root element <${tag.name}>${hint}`);
      }
      report = {
        name: bounded(nonEmpty(attrs.name), 500),
        durationMs: attrs.time?.trim() ? secondsToMs(attrs.time) : undefined,
        startedAt: normalizeTimestamp(attrs.timestamp),
      };
    }

    if (testCase) {
      const depth = elements.length - testCase.depth; // 1: a direct child of <testcase>
      if (depth === 1 && (name === 'failure' || name === 'error')) {
        const outcome: Outcome = {
          status: name === 'error' ? 'errored' : 'failed',
          type: nonEmpty(attrs.type),
          message: nonEmpty(attrs.message),
          text: new BoundedText(RESULT_LIMITS.errorStack),
        };
        testCase.outcomes.push(outcome);
        capture(outcome.text);
      } else if (depth === 1 && name === 'skipped') {
        testCase.skipped = true;
        capture(undefined);
      } else if (depth === 1 && RERUNS[name]) {
        attempt = {
          status: RERUNS[name],
          durationMs: secondsToMs(attrs.time),
          type: nonEmpty(attrs.type),
          message: nonEmpty(attrs.message),
          text: new BoundedText(ATTEMPT_TEXT_CHARS),
        };
        capture(attempt.text);
      } else if (depth === 2 && attempt && name === 'stackTrace') {
        capture(attempt.text);
      } else if (depth === 1 && (name === 'system-out' || name === 'system-err')) {
        const text = new BoundedText(RESULT_LIMITS.output);
        if (name === 'system-out') testCase.systemOut = text;
        else testCase.systemErr = text;
        capture(text);
      } else if (depth === 2 && parent === 'properties' && name === 'property') {
        if (/^tags?$/i.test(attrs.name ?? '')) {
          for (const tag of (attrs.value ?? '').split(',')) {
            const trimmed = tag.trim();
            if (trimmed && testCase.tags.size < RESULT_LIMITS.tags) {
              testCase.tags.add(truncate(trimmed, RESULT_LIMITS.tag));
            }
          }
        }
      } else {
        // Anything else inside a case (its properties, a rerun's output) is not kept.
        capture(undefined);
      }
      return;
    }

    if (name === 'testsuite') {
      suites.push({ name: nonEmpty(attrs.name), start: results.length });
      if (elements.length === 1 || (elements.length === 2 && parent === 'testsuites')) {
        topLevelSuites.push({ time: attrs.time, timestamp: attrs.timestamp });
      }
    } else if (name === 'testcase') {
      const named = [...suites].reverse().find((s) => s.name !== undefined)?.name;
      const classname = nonEmpty(attrs.classname);
      testCase = {
        depth: elements.length,
        suite: truncate(named ?? classname ?? '(root)', RESULT_LIMITS.suite),
        name: truncate(nonEmpty(attrs.name) ?? classname ?? '(unnamed)', RESULT_LIMITS.name),
        file: bounded(nonEmpty(attrs.file), RESULT_LIMITS.file),
        durationMs: secondsToMs(attrs.time),
        outcomes: [],
        skipped: false,
        attempts: [],
        tags: new Set(),
      };
    } else if ((name === 'system-out' || name === 'system-err') && parent === 'testsuite') {
      const suite = suites[suites.length - 1];
      const text = new BoundedText(RESULT_LIMITS.output);
      if (name === 'system-out') suite.systemOut = text;
      else suite.systemErr = text;
      capture(text);
    } else if (elements.length > 1 && !['testsuites', 'properties', 'property'].includes(name)) {
      capture(undefined);
    }
  });

  parser.on('closetag', () => {
    const name = elements.pop();
    const capturing = captures[captures.length - 1];
    if (capturing && capturing.depth === elements.length + 1) {
      captures.pop();
      if (sink()) parser.on('text', onText);
      else parser.off('text');
    }
    if (testCase && elements.length + 1 === testCase.depth + 1) {
      if (attempt && name && RERUNS[name]) {
        if (testCase.attempts.length < RESULT_LIMITS.attempts) testCase.attempts.push(attempt);
        attempt = undefined;
      }
    } else if (testCase && elements.length + 1 === testCase.depth) {
      results.push(finishCase(testCase));
      testCase = undefined;
    } else if (!testCase && name === 'testsuite') {
      const suite = suites.pop();
      if (suite?.systemOut || suite?.systemErr) shareSuiteOutput(suite, results);
    }
  });

  let bytesSeen = false;
  for await (const piece of textPieces(input, options)) {
    bytesSeen ||= piece.trim().length > 0;
    parser.write(piece);
    boundParserBuffers(parser, sink() ? onText : undefined, where);
  }
  if (!bytesSeen) throw new ResultFormatError('empty input: not a JUnit XML report');
  parser.close();
  if (!sawRoot) fail('not a JUnit XML report: no root element');

  if (report.durationMs === undefined && topLevelSuites.length === 1 && topLevelSuites[0].time?.trim()) {
    report.durationMs = secondsToMs(topLevelSuites[0].time);
  }
  const stamps = topLevelSuites.map((s) => normalizeTimestamp(s.timestamp)).filter((s) => s !== undefined);
  report.startedAt ??= stamps.sort()[0];

  const parsed: ParsedReport = { format: 'junit', suites: countSuites(results), results };
  if (report.name !== undefined) parsed.name = report.name;
  if (report.startedAt !== undefined) parsed.startedAt = report.startedAt;
  if (report.durationMs !== undefined) parsed.durationMs = report.durationMs;
  if (parsed.startedAt !== undefined && parsed.durationMs !== undefined) {
    parsed.finishedAt = new Date(Date.parse(parsed.startedAt) + Math.round(parsed.durationMs)).toISOString();
  }
  return parsed;
}

function finishCase(frame: CaseFrame): TestResult {
  const errored = frame.outcomes.find((o) => o.status === 'errored');
  const decisive = errored ?? frame.outcomes.find((o) => o.status === 'failed');
  const status: ResultStatus = decisive ? decisive.status : frame.skipped ? 'skipped' : 'passed';
  const result: TestResult = { suite: frame.suite, name: frame.name, status, durationMs: frame.durationMs };
  if (frame.file) result.file = frame.file;
  const error = decisive && errorOf(decisive);
  if (error) result.error = error;
  if (frame.attempts.length > 0) {
    result.attempts = frame.attempts.map((a): Attempt => {
      const message = a.message ?? firstLine(a.text.value(true)) ?? a.type;
      return message
        ? {
            status: a.status,
            durationMs: a.durationMs,
            message: truncate(message, RESULT_LIMITS.errorMessage),
          }
        : { status: a.status, durationMs: a.durationMs };
    });
  }
  if (frame.tags.size > 0) result.tags = [...frame.tags];
  const systemOut = frame.systemOut?.value();
  const systemErr = frame.systemErr?.value();
  if (systemOut?.trim()) result.systemOut = systemOut;
  if (systemErr?.trim()) result.systemErr = systemErr;
  return result;
}

/** A suite's own output goes to its failed and errored cases that have none of their own. */
function shareSuiteOutput(suite: SuiteFrame, results: TestResult[]): void {
  const systemOut = suite.systemOut?.value();
  const systemErr = suite.systemErr?.value();
  for (let i = suite.start; i < results.length; i++) {
    const result = results[i];
    if (result.status !== 'failed' && result.status !== 'errored') continue;
    if (systemOut?.trim() && result.systemOut === undefined) result.systemOut = systemOut;
    if (systemErr?.trim() && result.systemErr === undefined) result.systemErr = systemErr;
  }
}
