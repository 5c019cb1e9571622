import { isFlaky, summarize } from '@testpulse/domain';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mapCtrfStatus, parseCtrf } from './ctrf';
import { ResultFormatError } from './errors';

const CTRF_DIR = join(__dirname, '../../../../shared/corpus/ctrf');
const examples = readdirSync(CTRF_DIR).filter((f) => f.endsWith('.json') && f !== 'ctrf.schema.json');

function minimal(tests: unknown[], extra: Record<string, unknown> = {}) {
  return { results: { tool: { name: 't' }, tests, ...extra } };
}

function problem(json: unknown): ResultFormatError {
  try {
    parseCtrf(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ResultFormatError);
    return error as ResultFormatError;
  }
  throw new Error('expected a ResultFormatError');
}

describe('parseCtrf on the CTRF examples', () => {
  it('has the five examples', () => {
    expect(examples.sort()).toEqual([
      'comprehensive.json',
      'minimal.json',
      'with-diagnostics.json',
      'with-insights.json',
      'with-retries.json',
    ]);
  });

  it.each(examples)('%s reproduces its own results.summary', (file) => {
    const text = readFileSync(join(CTRF_DIR, file), 'utf8');
    const declared = JSON.parse(text).results.summary;
    const report = parseCtrf(text);
    const summary = summarize(report.results);
    expect(report.format).toBe('ctrf');
    expect(summary.tests).toBe(declared.tests);
    expect(summary.passed).toBe(declared.passed);
    expect(summary.failed).toBe(declared.failed);
    // pending → skipped; other → skipped, or errored when the test shows it broke.
    expect(summary.skipped + summary.errored).toBe(declared.skipped + declared.pending + declared.other);
    expect(summary.flaky).toBe(declared.flaky ?? 0);
    expect(report.durationMs).toBe(declared.duration ?? declared.stop - declared.start);
    expect(report.startedAt).toBe(new Date(declared.start).toISOString());
    expect(report.finishedAt).toBe(new Date(declared.stop).toISOString());
  });

  it('maps the comprehensive example in detail', () => {
    const report = parseCtrf(readFileSync(join(CTRF_DIR, 'comprehensive.json')));
    expect(report).toMatchObject({
      name: 'PR #123 E2E Tests',
      branch: 'feature/new-dashboard',
      commit: 'a1b2c3d4e5f6',
      environment: 'staging',
      suites: 3,
    });
    const [login, checkout, admin] = report.results;
    expect(login).toEqual({
      suite: 'Authentication › Login',
      name: 'user can login',
      file: 'tests/auth/login.test.js',
      status: 'passed',
      durationMs: 3500,
      tags: ['smoke', 'critical'],
    });
    expect(checkout).toMatchObject({
      status: 'passed',
      flaky: true,
      attempts: [{ status: 'failed', durationMs: 5100, message: 'Payment gateway timeout' }],
    });
    expect(isFlaky(checkout)).toBe(true);
    expect(admin).toMatchObject({
      suite: 'Admin › Dashboard',
      status: 'failed',
      error: {
        message: 'Element not found: .dashboard-metrics',
        stack: expect.stringMatching(/^Error: Element not found[\s\S]*dashboard\.test\.js:42:5\)$/),
      },
      systemOut: 'Loading admin dashboard\nChecking authentication',
      systemErr: 'Warning: Slow network detected\nError: Timeout waiting for .dashboard-metrics',
    });
  });

  it('leaves the final execution out of retryAttempts', () => {
    const report = parseCtrf(readFileSync(join(CTRF_DIR, 'with-retries.json')));
    expect(report.results[1].attempts).toEqual([
      { status: 'failed', durationMs: 120, message: 'Connection timeout' },
      { status: 'failed', durationMs: 130, message: 'Connection timeout' },
    ]);
    expect(report.results[0].attempts).toBeUndefined();
  });
});

describe('parseCtrf', () => {
  it('accepts an older report without reportFormat, specVersion, tool or summary', () => {
    const report = parseCtrf({
      results: {
        tests: [
          { name: 'a', status: 'passed', duration: 12.5, suite: 'file.test.ts > group' },
          { name: 'b', status: 'pending', duration: 0, filePath: 'b.spec.ts' },
          { name: 'c', status: 'failed', duration: 3, message: 'boom\nmore' },
        ],
      },
    });
    expect(report.results).toEqual([
      { suite: 'file.test.ts > group', name: 'a', status: 'passed', durationMs: 12.5 },
      { suite: 'b.spec.ts', name: 'b', file: 'b.spec.ts', status: 'skipped', durationMs: 0 },
      { suite: '(root)', name: 'c', status: 'failed', durationMs: 3, error: { message: 'boom\nmore' } },
    ]);
    expect(report.durationMs).toBeUndefined();
    expect(report.startedAt).toBeUndefined();
  });

  it.each([
    ['passed', {}, 'passed'],
    ['failed', {}, 'failed'],
    ['skipped', {}, 'skipped'],
    ['pending', {}, 'skipped'],
    ['other', {}, 'skipped'],
    ['other', { rawStatus: 'todo' }, 'skipped'],
    ['other', { rawStatus: 'timedOut' }, 'errored'],
    ['other', { rawStatus: 'interrupted' }, 'errored'],
    ['other', { message: 'worker crashed' }, 'errored'],
    ['other', { rawStatus: 'xfail', message: 'expected' }, 'skipped'],
  ] as const)('maps %s %j to %s', (status, extra, want) => {
    expect(mapCtrfStatus(status, extra)).toBe(want);
    expect(parseCtrf(minimal([{ name: 'n', status, duration: 1, ...extra }])).results[0].status).toBe(want);
  });

  it('derives attempts from a bare retries count', () => {
    const [flaky, failed, skipped] = parseCtrf(
      minimal([
        { name: 'a', status: 'passed', duration: 1, retries: 2 },
        { name: 'b', status: 'failed', duration: 1, retries: 1 },
        { name: 'c', status: 'skipped', duration: 0, retries: 1 },
      ]),
    ).results;
    expect(flaky.attempts).toEqual([
      { status: 'failed', durationMs: 0 },
      { status: 'failed', durationMs: 0 },
    ]);
    expect(isFlaky(flaky)).toBe(true);
    expect(failed.attempts).toHaveLength(1);
    expect(isFlaky(failed)).toBe(false);
    expect(skipped.attempts).toBeUndefined();
  });

  it('keeps every listed attempt when none of them is the final one', () => {
    const [test] = parseCtrf(
      minimal([
        {
          name: 'a',
          status: 'passed',
          duration: 5,
          retryAttempts: [
            { attempt: 2, status: 'failed', duration: 2, trace: 'Error: second\n  at x' },
            { attempt: 1, status: 'failed', duration: 1 },
          ],
        },
      ]),
    ).results;
    expect(test.attempts).toEqual([
      { status: 'failed', durationMs: 1 },
      { status: 'failed', durationMs: 2, message: 'Error: second' },
    ]);
  });

  it('names the JSON path of what is wrong', () => {
    expect(problem('[]').message).toBe('a CTRF report must be a JSON object');
    expect(problem({ reportFormat: 'JUnit', results: { tests: [] } }).message).toBe(
      'reportFormat must be "CTRF"',
    );
    expect(problem({ results: {} }).message).toBe('results.tests must be an array');
    const status = problem(
      minimal([{ name: 'a', status: 'passed' }, {}, {}, { name: 'd', status: 'broken' }]),
    );
    expect(status.message).toBe('results.tests[1].name must be a non-empty string');
    const bad = problem(
      minimal([
        { name: 'a', status: 'passed' },
        { name: 'b', status: 'passed' },
        { name: 'c', status: 'passed' },
        { name: 'd', status: 'broken' },
      ]),
    );
    expect(bad.message).toBe(
      'results.tests[3].status must be one of passed, failed, skipped, pending, other (got "broken")',
    );
    expect(bad.path).toBe('results.tests[3].status');
    expect(problem(minimal([{ name: 'a', status: 'passed', duration: '5' }])).message).toBe(
      'results.tests[0].duration must be a number',
    );
    expect(problem(minimal([{ name: 'a', status: 'passed', suite: ['x', 3] }])).message).toBe(
      'results.tests[0].suite[1] must be a string',
    );
    expect(
      problem(minimal([{ name: 'a', status: 'passed', retryAttempts: [{ attempt: 1, status: 'meh' }] }]))
        .path,
    ).toBe('results.tests[0].retryAttempts[0].status');
    expect(problem(minimal([], { summary: { start: 'yesterday' } })).message).toBe(
      'results.summary.start must be a number',
    );
  });

  it('names line and column of a JSON syntax error', () => {
    const error = problem('{\n  "results": {\n    "tests": [,]\n  }\n}');
    expect(error.message).toMatch(/^line 3, column 15: invalid JSON: /);
    expect(error.line).toBe(3);
    expect(error.column).toBe(15);
  });
});
