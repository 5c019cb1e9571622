import { ResultFormatError } from './errors';
import { parseNative } from './native';

const valid = {
  project: 'checkout',
  runId: 'gh-8812-1',
  name: 'nightly',
  branch: 'main',
  commit: 'abc123',
  environment: 'staging',
  startedAt: '2026-01-05T10:00:00.000Z',
  finishedAt: '2026-01-05T10:02:00.000Z',
  results: [
    { suite: 'cart', name: 'adds', status: 'passed', durationMs: 12 },
    {
      suite: 'cart',
      name: 'removes',
      file: 'cart.spec.ts',
      status: 'passed',
      durationMs: 30,
      attempts: [{ status: 'failed', durationMs: 25, message: 'timeout' }],
      tags: ['smoke'],
    },
    {
      suite: 'pay',
      name: 'charges',
      status: 'errored',
      durationMs: 5,
      error: { type: 'TimeoutError', message: 'gateway', stack: 'at pay.ts:1' },
      systemOut: 'out',
    },
  ],
};

function problem(json: unknown): ResultFormatError {
  try {
    parseNative(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ResultFormatError);
    return error as ResultFormatError;
  }
  throw new Error('expected a ResultFormatError');
}

describe('parseNative', () => {
  it('reads a valid report with its run metadata', () => {
    const report = parseNative(JSON.stringify(valid));
    expect(report).toEqual({
      format: 'native',
      suites: 2,
      results: valid.results,
      project: 'checkout',
      runId: 'gh-8812-1',
      name: 'nightly',
      branch: 'main',
      commit: 'abc123',
      environment: 'staging',
      startedAt: '2026-01-05T10:00:00.000Z',
      finishedAt: '2026-01-05T10:02:00.000Z',
      durationMs: 120_000,
    });
    // Plain objects, not DTO instances.
    expect(Object.getPrototypeOf(report.results[1].attempts?.[0])).toBe(Object.prototype);
  });

  it('names the field path of what is wrong', () => {
    const results = [...valid.results];
    results[2] = { ...results[2], status: 'broken' };
    const error = problem({ ...valid, results });
    expect(error.message).toBe(
      'results[2].status must be one of the following values: passed, failed, errored, skipped',
    );
    expect(error.path).toBe('results[2].status');

    const nested = problem({
      ...valid,
      results: [
        {
          suite: 's',
          name: 'n',
          status: 'failed',
          durationMs: 1,
          attempts: [{ status: 'x', durationMs: -1 }],
        },
      ],
    });
    expect(nested.message).toMatch(/^results\[0\]\.attempts\[0\]\.status must be one of/);
    expect(nested.message).toMatch(/results\[0\]\.attempts\[0\]\.durationMs must not be less than 0/);
  });

  it('refuses unknown fields, a bad project key and a missing results array', () => {
    expect(problem({ ...valid, colour: 'red' }).message).toBe('colour: property colour should not exist');
    expect(problem({ ...valid, project: 'Not A Key!' }).message).toBe('project must be a project key');
    expect(problem({ project: 'p', runId: 'r' }).message).toBe('results must be an array');
    expect(problem('"x"').message).toBe('a testpulse JSON report must be a JSON object');
  });

  it('lists at most five problems', () => {
    const results = Array.from({ length: 9 }, () => ({
      suite: '',
      name: 'n',
      status: 'passed',
      durationMs: 0,
    }));
    const error = problem({ ...valid, results });
    expect(error.message.split('; ')).toHaveLength(6);
    expect(error.message).toMatch(/; and 4 more problems$/);
  });
});
