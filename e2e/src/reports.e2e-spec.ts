/**
 * Reports end to end: a small crafted history goes in through the API; every template is generated
 * through the gateway by report-generation (which reads analytics-engine and data-aggregation over the
 * transport), stored, and read back by id, with figures counted here by hand. Real processes, real
 * Redis and FerretDB.
 */
import { TestFleet, startTestFleet } from '@testpulse/testing';

const prefix = `reports_${Date.now().toString(36)}`;
const MINUTE = 60_000;

type Status = 'passed' | 'failed' | 'errored' | 'skipped';
const test = (suite: string, name: string, status: Status, extra: Record<string, unknown> = {}) => ({
  suite,
  name,
  status,
  durationMs: 10,
  ...extra,
});
const refund = (status: Status) =>
  test('checkout', 'refund', status, {
    durationMs: 2000,
    ...(status === 'failed' ? { error: { type: 'Error', message: 'refund declined' } } : {}),
  });
const stuck = (extra: Record<string, unknown> = {}) =>
  test('checkout', 'stuck', 'failed', {
    error: {
      type: 'AssertionError',
      message: 'expected 1 to be 2',
      stack: 'AssertionError: expected 1 to be 2\n    at stuck.spec.ts:3:1',
    },
    ...extra,
  });

/**
 * Project alpha, oldest first. Per run (tests / passed / failed / errored / skipped / flaky):
 * r0 6/4/2/0/0/0, r1 6/3/3/0/0/0, r2 6/2/2/1/1/1, r3 (staging) 7/4/3/0/0/0.
 */
const ALPHA_RUNS: Array<{ runId: string; environment: string; results: unknown[] }> = [
  {
    runId: 'r0',
    environment: 'ci',
    results: [
      test('auth', 'login', 'passed'),
      test('auth', 'logout', 'passed'),
      test('checkout', 'pay', 'passed', { tags: ['smoke'] }),
      refund('failed'),
      test('search', 'search', 'passed'),
      stuck(),
    ],
  },
  {
    runId: 'r1',
    environment: 'ci',
    results: [
      test('auth', 'login', 'passed'),
      test('auth', 'logout', 'passed'),
      test('checkout', 'pay', 'failed', {
        tags: ['smoke'],
        error: {
          type: 'TimeoutError',
          message: 'timeout after 5000 ms',
          stack: 'TimeoutError\n    at pay.spec.ts:9:3',
        },
      }),
      refund('failed'),
      test('search', 'search', 'passed'),
      stuck(),
    ],
  },
  {
    runId: 'r2',
    environment: 'ci',
    results: [
      test('auth', 'login', 'passed'),
      test('auth', 'logout', 'errored', { error: { message: 'session store unreachable' } }),
      test('checkout', 'pay', 'passed', {
        tags: ['smoke'],
        attempts: [{ status: 'failed', durationMs: 8, message: 'timeout after 5000 ms' }],
      }),
      refund('failed'),
      test('search', 'search', 'skipped'),
      stuck(),
    ],
  },
  {
    runId: 'r3',
    environment: 'staging',
    results: [
      test('auth', 'login', 'failed', { error: { message: 'wrong password' } }),
      test('auth', 'logout', 'passed'),
      test('checkout', 'pay', 'passed', { tags: ['smoke'] }),
      refund('passed'),
      test('reports', 'export', 'passed'),
      test('reports', 'import', 'failed', { error: { message: 'bad csv' } }),
      stuck({ attempts: [{ status: 'failed', durationMs: 5, message: 'first try' }] }),
    ],
  },
];

/**
 * Project beta: 12 runs of 3 tests (36 executions). 'home' always passes; 'cart' is flaky (fails in
 * runs 2, 5 and 9, passes on a retry in 3, 7 and 10); 'checkout' is broken from run 5 on (7 failures).
 * So: 26 passed, 10 failed, 3 flaky.
 */
const BETA_RUNS = Array.from({ length: 12 }, (_, i) => ({
  runId: `b${i}`,
  environment: 'ci',
  commit: i === 6 ? 'c5' : `c${i}`,
  results: [
    test('web', 'home', 'passed'),
    [2, 5, 9].includes(i)
      ? test('web', 'cart', 'failed', { error: { message: 'no stock' } })
      : test(
          'web',
          'cart',
          'passed',
          [3, 7, 10].includes(i) ? { attempts: [{ status: 'failed', durationMs: 9 }] } : {},
        ),
    i >= 5
      ? test('web', 'checkout', 'failed', { error: { message: 'payment provider down' } })
      : test('web', 'checkout', 'passed'),
  ],
}));

describe('reports', () => {
  let t: TestFleet;
  let rita: string;
  let otto: string;
  let viewer: string;

  const generate = (token: string, body: unknown) =>
    t.api('POST', '/api/v1/reports/generate', { token, body });
  /** Generates as admin, expects 201, and reads the report back by id. */
  async function generated(body: Record<string, unknown>) {
    const res = await generate(t.adminToken, body);
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await t.api('GET', `/api/v1/reports/${res.body.id}`, { token: t.adminToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
    const sections = new Map<
      string,
      { figures: Record<string, unknown>; items: Array<Record<string, unknown>> }
    >(read.body.sections.map((s: { key: string }) => [s.key, s]));
    return { report: read.body, section: (key: string) => sections.get(key) ?? fail(`no section ${key}`) };
  }
  const fail = (message: string): never => {
    throw new Error(message);
  };

  beforeAll(async () => {
    t = await startTestFleet(prefix, { ANALYTICS_TIMEOUT_MS: '20000' });
    const { api, adminToken: token } = t;
    for (const key of ['alpha', 'beta'])
      expect((await api('POST', '/api/v1/projects', { token, body: { key, name: key } })).status).toBe(201);
    for (const [username, role] of [
      ['rita', 'qa_engineer'],
      ['otto', 'qa_engineer'],
      ['vera', 'product_owner'],
    ])
      expect(
        (
          await api('POST', '/api/v1/users', {
            token,
            body: { username, password: `${username}-password`, role },
          })
        ).status,
      ).toBe(201);
    for (const [project, username] of [
      ['alpha', 'rita'],
      ['beta', 'rita'],
      ['alpha', 'otto'],
      ['alpha', 'vera'],
    ])
      expect((await api('PUT', `/api/v1/projects/${project}/members/${username}`, { token })).status).toBe(
        200,
      );
    const now = Date.now();
    const send = async (project: string, runs: Array<Record<string, unknown>>) => {
      for (const [i, run] of runs.entries()) {
        const res = await api('POST', '/api/v1/executions', {
          token,
          body: {
            project,
            branch: 'main',
            startedAt: new Date(now - (30 - i) * MINUTE).toISOString(),
            ...run,
          },
        });
        expect(res.status).toBe(201);
      }
    };
    await send('alpha', ALPHA_RUNS);
    await send('beta', BETA_RUNS);
    rita = await t.login('rita', 'rita-password');
    otto = await t.login('otto', 'otto-password');
    viewer = await t.login('vera', 'vera-password');
  }, 180_000);

  afterAll(async () => {
    await t?.fleet.stop();
  });

  it('lists the templates with the filter fields each reads', async () => {
    const res = await t.api('GET', '/api/v1/reports/templates', { token: viewer });
    expect(res.status).toBe(200);
    expect(res.body.map((template: { id: string }) => template.id)).toEqual([
      'executive-summary',
      'flaky-tests',
      'failure-drilldown',
      'slowest-tests',
      'trends',
      'run-comparison',
    ]);
    expect(res.body[5]).toEqual(
      expect.objectContaining({ required: ['projects', 'runA', 'runB'], multiProject: false }),
    );
  });

  it('compares two runs: new failures, fixed, still failing, new and removed tests', async () => {
    const { report, section } = await generated({
      template: 'run-comparison',
      filter: { projects: ['alpha'], runA: 'r2', runB: 'r3' },
    });
    expect(report).toEqual(
      expect.objectContaining({ template: 'run-comparison', title: 'Run comparison', projects: ['alpha'] }),
    );
    expect(report.window).toBeUndefined();
    expect(section('summary').figures).toEqual(
      expect.objectContaining({
        runA: 'r2',
        runB: 'r3',
        testsA: 6,
        testsB: 7,
        newFailures: 1,
        fixed: 2,
        stillFailing: 1,
        newTests: 2,
        newTestsFailing: 1,
        removedTests: 1,
        otherChanges: 0,
        unchanged: 1,
      }),
    );
    const names = (key: string) =>
      section(key).items.map((row) => `${String(row.suite)}/${String(row.name)}`);
    expect(names('new-failures')).toEqual(['auth/login']);
    expect(section('new-failures').items[0]).toEqual(
      expect.objectContaining({ statusA: 'passed', statusB: 'failed' }),
    );
    expect(names('fixed')).toEqual(['auth/logout', 'checkout/refund']);
    expect(section('fixed').items[0]).toEqual(
      expect.objectContaining({ statusA: 'errored', statusB: 'passed' }),
    );
    expect(names('still-failing')).toEqual(['checkout/stuck']);
    expect(section('still-failing').items[0]).toEqual(expect.objectContaining({ sameError: true }));
    expect(names('new-tests')).toEqual(['reports/export', 'reports/import']);
    expect(names('removed-tests')).toEqual(['search/search']);
    expect(section('summary').items.map((row) => [row.runId, row.tests, row.failed])).toEqual([
      ['r2', 6, 2],
      ['r3', 7, 3],
    ]);

    const unknownRun = await generate(t.adminToken, {
      template: 'run-comparison',
      filter: { projects: ['alpha'], runA: 'r2', runB: 'nope' },
    });
    expect(unknownRun.status).toBe(404);
    expect(unknownRun.body.message).toMatch(/nope/);
  });

  it('summarises several projects for a member of both, with figures of the runs', async () => {
    const res = await generate(rita, {
      template: 'executive-summary',
      filter: { projects: ['alpha', 'beta'] },
    });
    expect(res.status).toBe(201);
    expect(res.body.createdBy).toBe('rita');
    expect(res.body.projects).toEqual(['alpha', 'beta']);
    const read = await t.api('GET', `/api/v1/reports/${res.body.id}`, { token: rita });
    expect(read.status).toBe(200);
    const overview = read.body.sections.find((s: { key: string }) => s.key === 'overview');
    expect(overview.figures).toEqual(
      expect.objectContaining({
        projects: 2,
        runs: 16,
        tests: 61,
        passed: 39,
        failed: 20,
        errored: 1,
        skipped: 1,
        flaky: 4,
        passRate: 0.65,
      }),
    );
    expect(
      overview.items.map((row: Record<string, unknown>) => [row.project, row.runs, row.tests, row.passed]),
    ).toEqual([
      ['alpha', 4, 25, 13],
      ['beta', 12, 36, 26],
    ]);
    for (const row of overview.items) {
      expect(row.qualityScore).toBeGreaterThanOrEqual(0);
      expect(row.qualityScore).toBeLessThanOrEqual(100);
    }
    const clusters = read.body.sections.find((s: { key: string }) => s.key === 'clusters:alpha');
    expect(clusters.figures.failures).toBe(11);
    expect(clusters.items[0]).toEqual(expect.objectContaining({ count: 4, testCount: 1 }));

    // otto belongs to alpha only: he may neither read nor generate a report that covers beta.
    const refused = await t.api('GET', `/api/v1/reports/${res.body.id}`, { token: otto });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe("you are not a member of project 'beta'");
    const notMember = await generate(otto, {
      template: 'executive-summary',
      filter: { projects: ['alpha', 'beta'] },
    });
    expect(notMember.status).toBe(403);
    expect(notMember.body.message).toBe("you are not a member of project 'beta'");
    const own = await generate(otto, {
      template: 'executive-summary',
      filter: { projects: ['alpha'], environment: 'ci' },
    });
    expect(own.status).toBe(201);
    expect(own.body.sections[0].figures).toEqual(
      expect.objectContaining({ runs: 3, tests: 18, passed: 9, failed: 7, errored: 1, skipped: 1, flaky: 1 }),
    );
    expect((await t.api('GET', `/api/v1/reports/${own.body.id}`, { token: otto })).status).toBe(200);
    // A product owner reads reports but does not generate them.
    expect((await t.api('GET', `/api/v1/reports/${own.body.id}`, { token: viewer })).status).toBe(200);
    expect((await generate(viewer, { template: 'trends', filter: { projects: ['alpha'] } })).status).toBe(
      403,
    );
  });

  it('drills into the failures of the latest runs', async () => {
    const { report, section } = await generated({
      template: 'failure-drilldown',
      filter: { projects: ['alpha'] },
    });
    expect(report.window).toEqual({ from: expect.any(String), to: new Date().toISOString().slice(0, 10) });
    const runs = section('runs');
    expect(runs.items.map((row) => [row.runId, row.matching])).toEqual([
      ['r3', 3],
      ['r2', 3],
      ['r1', 3],
      ['r0', 2],
    ]);
    expect(runs.figures.failures).toBe(11);
    const r3 = section('failures:alpha:r3');
    expect(r3.items.map((row) => row.name)).toEqual(['login', 'import', 'stuck']);
    expect(r3.items[2]).toEqual(
      expect.objectContaining({
        status: 'failed',
        attempts: [{ status: 'failed', durationMs: 5, message: 'first try' }],
        error: expect.objectContaining({
          type: 'AssertionError',
          message: 'expected 1 to be 2',
          stack: expect.stringContaining('stuck.spec.ts:3:1'),
        }),
      }),
    );
    expect(section('failures:alpha:r2').items.map((row) => [row.name, row.status])).toEqual([
      ['refund', 'failed'],
      ['stuck', 'failed'],
      ['logout', 'errored'],
    ]);
    expect(
      section('clusters')
        .items.slice(0, 2)
        .map((row) => [row.message, row.count]),
    ).toEqual([
      ['expected 1 to be 2', 4],
      ['refund declined', 3],
    ]);

    const smoke = await generated({
      template: 'failure-drilldown',
      filter: { projects: ['alpha'], tags: ['smoke'] },
    });
    expect(smoke.section('runs').items.map((row) => [row.runId, row.matching])).toEqual([
      ['r3', 0],
      ['r2', 0],
      ['r1', 1],
      ['r0', 0],
    ]);
    expect(smoke.section('failures:alpha:r1').items[0]).toEqual(
      expect.objectContaining({
        name: 'pay',
        error: expect.objectContaining({ message: 'timeout after 5000 ms' }),
      }),
    );
    const errored = await generated({
      template: 'failure-drilldown',
      filter: { projects: ['alpha'], statuses: ['errored'], environment: 'ci', suites: ['auth'] },
    });
    expect(errored.section('runs').items.map((row) => [row.runId, row.matching])).toEqual([
      ['r2', 1],
      ['r1', 0],
      ['r0', 0],
    ]);
  });

  it('lists flaky tests, slowest tests and trends from analytics-engine', async () => {
    const flaky = await generated({
      template: 'flaky-tests',
      filter: { projects: ['alpha', 'beta'], days: 7 },
    });
    expect(flaky.report.window.from).toBe(
      new Date(Date.now() - 6 * 24 * 3600_000).toISOString().slice(0, 10),
    );
    expect(flaky.section('flaky:alpha').figures).toEqual(expect.objectContaining({ runs: 4, tests: 8 }));
    expect(flaky.section('flaky:beta').figures).toEqual(
      expect.objectContaining({ runs: 12, tests: 3, flaky: 1, broken: 1, stable: 1 }),
    );
    expect(flaky.section('flaky:beta').items).toEqual([
      expect.objectContaining({
        suite: 'web',
        name: 'cart',
        classification: 'flaky',
        evidence: expect.objectContaining({ retryPasses: 3 }),
      }),
    ]);
    expect(flaky.section('broken:beta').items).toEqual([
      expect.objectContaining({ name: 'checkout', classification: 'broken' }),
    ]);
    const checkout = await generated({
      template: 'flaky-tests',
      filter: { projects: ['alpha'], suites: ['checkout'] },
    });
    expect(checkout.section('flaky:alpha').figures.tests).toBe(3);

    const slow = await generated({ template: 'slowest-tests', filter: { projects: ['alpha'] } });
    expect(slow.section('slowest:alpha').items[0]).toEqual(
      expect.objectContaining({ suite: 'checkout', name: 'refund' }),
    );
    expect(slow.section('suites:alpha').items[0]).toEqual(expect.objectContaining({ suite: 'checkout' }));
    const authOnly = await generated({
      template: 'slowest-tests',
      filter: { projects: ['alpha'], suites: ['auth'] },
    });
    expect(authOnly.section('slowest:alpha').items.map((row) => row.suite)).toEqual(['auth', 'auth']);

    const trend = await generated({ template: 'trends', filter: { projects: ['alpha'] } });
    const figures = trend.section('trend:alpha').figures;
    // 25 executions, one skipped: 24 executed, 13 passed (a retried pass counts as passed).
    expect(figures).toEqual(expect.objectContaining({ runs: 4, executed: 24, passed: 13, passRate: 0.5417 }));
    expect(['improving', 'worsening', 'flat']).toContain(figures.direction);
    const bySuite = await generated({
      template: 'trends',
      filter: { projects: ['alpha'], suites: ['auth', 'checkout'] },
    });
    expect(bySuite.section('trend:alpha:auth').figures).toEqual(
      expect.objectContaining({ executed: 8, passed: 6 }),
    );
    expect(bySuite.section('trend:alpha:checkout').figures).toEqual(
      expect.objectContaining({ executed: 12, passed: 4 }),
    );
  });

  it('refuses unknown templates, bad filters, unknown projects and unknown ids', async () => {
    const unknown = await generate(t.adminToken, {
      template: 'weekly-digest',
      filter: { projects: ['alpha'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/template 'weekly-digest' is unknown/);
    const badStatus = await generate(t.adminToken, {
      template: 'failure-drilldown',
      filter: { projects: ['alpha'], statuses: ['broken'] },
    });
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.message).toMatch(/filter\.statuses/);
    const badDay = await generate(t.adminToken, {
      template: 'trends',
      filter: { projects: ['alpha'], from: 'yesterday' },
    });
    expect(badDay.status).toBe(400);
    expect(badDay.body.message).toMatch(/filter\.from/);
    const notRead = await generate(t.adminToken, {
      template: 'trends',
      filter: { projects: ['alpha'], tags: ['x'] },
    });
    expect(notRead.status).toBe(400);
    expect(notRead.body.message).toMatch(/^filter\.tags does not apply to template 'trends'/);
    const missingRun = await generate(t.adminToken, {
      template: 'run-comparison',
      filter: { projects: ['alpha'] },
    });
    expect(missingRun.status).toBe(400);
    expect(missingRun.body.message).toBe("filter.runA is required by template 'run-comparison'");
    const noProjects = await generate(t.adminToken, { template: 'trends', filter: {} });
    expect(noProjects.status).toBe(400);
    expect(noProjects.body.message).toMatch(/filter\.projects/);

    const ghost = await generate(t.adminToken, { template: 'trends', filter: { projects: ['ghost'] } });
    expect(ghost.status).toBe(404);
    expect(ghost.body.message).toBe("project 'ghost' does not exist");

    const missing = await t.api('GET', '/api/v1/reports/00000000-0000-4000-8000-000000000000', {
      token: rita,
    });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe("report '00000000-0000-4000-8000-000000000000' does not exist");
  });
});
