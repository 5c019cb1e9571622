/**
 * Analytics end to end: a crafted history goes in through the API, and flakiness, trends, metrics,
 * failure patterns and the quality score come out of analytics-engine through the gateway, computed
 * from what data-aggregation stored (real processes, real Redis and FerretDB).
 */
import { TestFleet, startTestFleet } from '@testpulse/testing';
import mongoose from 'mongoose';

const PROJECT = 'checkout';
const prefix = `analytics_${Date.now().toString(36)}`;
const RUNS = 12;
const HOUR = 3600_000;

/** Outcomes of the crafted tests in run i (0..11, oldest first). */
function results(i: number): unknown[] {
  const ok = (name: string, durationMs = 10, extra: Record<string, unknown> = {}) => ({
    suite: 'checkout',
    name,
    file: 'test/checkout.spec.ts',
    status: 'passed',
    durationMs,
    ...extra,
  });
  const flakyFails = [2, 5, 9].includes(i);
  const flakyRetried = [3, 7, 10].includes(i);
  return [
    ok('stable A'),
    ok('stable B'),
    flakyFails
      ? { ...ok('flaky'), status: 'failed', error: { message: 'timeout after 5000 ms waiting for #pay' } }
      : ok(
          'flaky',
          10,
          flakyRetried ? { attempts: [{ status: 'failed', durationMs: 9, message: 'timeout' }] } : {},
        ),
    i >= 5
      ? {
          ...ok('broken'),
          status: 'failed',
          error: {
            type: 'AssertionError',
            message: `expected 200, got 500 for /api/orders/${1000 + i}`,
            stack: `AssertionError: expected 200\n    at placeOrder (test/checkout.spec.ts:${40 + i}:7)`,
          },
        }
      : ok('broken'),
    ok('slowing', i === RUNS - 1 ? 5000 : 100),
    { ...ok('disabled', 0), status: 'skipped' },
  ];
}

describe('analytics', () => {
  let t: TestFleet;
  const now = Date.now();

  beforeAll(async () => {
    t = await startTestFleet(prefix, { ANALYTICS_TIMEOUT_MS: '20000' });
    const { api, adminToken: token } = t;
    expect(
      (await api('POST', '/api/v1/projects', { token, body: { key: PROJECT, name: 'Checkout' } })).status,
    ).toBe(201);
    expect(
      (await api('POST', '/api/v1/projects', { token, body: { key: 'other', name: 'Other' } })).status,
    ).toBe(201);
    expect(
      (
        await api('POST', '/api/v1/users', {
          token,
          body: { username: 'outsider', password: 'outsider-password', role: 'qa_engineer' },
        })
      ).status,
    ).toBe(201);
    for (let i = 0; i < RUNS; i++) {
      const res = await api('POST', '/api/v1/executions', {
        token,
        body: {
          project: PROJECT,
          runId: `run-${i}`,
          branch: 'main',
          // Runs 5 and 6 test the same commit: the flaky test fails on it, then passes.
          commit: i === 6 ? 'c5' : `c${i}`,
          startedAt: new Date(now - (RUNS - i) * 10 * HOUR).toISOString(),
          results: results(i),
        },
      });
      expect(res.status).toBe(201);
    }
  }, 180_000);

  afterAll(async () => {
    await t?.fleet.stop();
  });

  it('classifies flaky, broken and stable tests with evidence', async () => {
    const res = await t.api('POST', '/api/v1/analytics/flakiness', {
      token: t.adminToken,
      body: { project: PROJECT, days: 30 },
    });
    expect(res.status).toBe(200);
    expect(res.body.runs).toBe(RUNS);
    const byName = new Map(res.body.tests.map((test: { name: string }) => [test.name, test]));
    expect(byName.get('flaky')).toEqual(
      expect.objectContaining({ classification: 'flaky', suite: 'checkout' }),
    );
    expect(byName.get('broken')).toEqual(expect.objectContaining({ classification: 'broken' }));
    expect(byName.get('stable A')).toEqual(expect.objectContaining({ classification: 'stable' }));
    expect(res.body.tests[0].name).toBe('flaky');
    const evidence = (byName.get('flaky') as { evidence: Record<string, number> }).evidence;
    expect(evidence).toEqual(expect.objectContaining({ retryPasses: 3, sameCommitDisagreements: 1 }));
    expect(res.body.counts.flaky).toBe(1);
    expect(res.body.counts.broken).toBe(1);

    // `limit` lists the tests needing attention first; the counts still cover every test.
    const top = await t.api('POST', '/api/v1/analytics/flakiness', {
      token: t.adminToken,
      body: { project: PROJECT, days: 30, limit: 2 },
    });
    expect(top.status).toBe(200);
    expect(top.body.tests.map((test: { name: string }) => test.name)).toEqual(['flaky', 'broken']);
    expect(top.body.counts).toEqual(res.body.counts);
  });

  it('reports daily pass rates with Wilson intervals that add up to the runs sent', async () => {
    const res = await t.api('GET', `/api/v1/aggregation/trends?project=${PROJECT}&days=30`, {
      token: t.adminToken,
    });
    expect(res.status).toBe(200);
    const days = res.body.days as Array<{
      executed: number;
      passed: number;
      runs: number;
      passRate: { rate: number; low: number; high: number };
    }>;
    // 12 runs × 5 executed tests (one is skipped); failures: flaky 3, broken 7.
    expect(days.reduce((n, d) => n + d.runs, 0)).toBe(RUNS);
    expect(days.reduce((n, d) => n + d.executed, 0)).toBe(60);
    expect(days.reduce((n, d) => n + d.passed, 0)).toBe(50);
    expect(res.body.totals).toEqual(
      expect.objectContaining({ runs: RUNS, tests: 72, passed: 50, failed: 10, errored: 0, skipped: 12 }),
    );
    for (const day of days) {
      expect(day.passRate.rate).toBeCloseTo(day.passed / day.executed, 10);
      expect(day.passRate.low).toBeLessThanOrEqual(day.passRate.rate);
      expect(day.passRate.high).toBeGreaterThanOrEqual(day.passRate.rate);
    }
    // The slope's direction follows its 95% interval: a sign only when the interval excludes 0.
    const slope = res.body.slope as { perDay: number; low: number; high: number; direction: string };
    expect(slope.low).toBeLessThanOrEqual(slope.perDay);
    expect(slope.high).toBeGreaterThanOrEqual(slope.perDay);
    expect(slope.direction).toBe(slope.low > 0 ? 'improving' : slope.high < 0 ? 'worsening' : 'flat');
    // The broken test fails from run 5 on: the pass rate does not improve.
    expect(slope.perDay).toBeLessThan(0);
  });

  it('finds the duration regression and the slowest tests', async () => {
    const res = await t.api('GET', `/api/v1/aggregation/metrics?project=${PROJECT}`, { token: t.adminToken });
    expect(res.status).toBe(200);
    expect(res.body.regressions).toEqual([
      expect.objectContaining({
        name: 'slowing',
        runId: `run-${RUNS - 1}`,
        latestMs: 5000,
        meanMs: 100,
        previousMaxMs: 100,
      }),
    ]);
    expect(res.body.slowest[0].name).toBe('slowing');
    expect(res.body.suites).toEqual([expect.objectContaining({ suite: 'checkout', executions: 60 })]);
  });

  it('clusters failures by fingerprint with an example', async () => {
    const res = await t.api('POST', '/api/v1/analytics/patterns', {
      token: t.adminToken,
      body: { project: PROJECT, days: 30 },
    });
    expect(res.status).toBe(200);
    expect(res.body.failures).toBe(10);
    const [broken, flaky] = res.body.clusters;
    expect(broken).toEqual(
      expect.objectContaining({ count: 7, testCount: 1, branches: ['main'], isNew: true }),
    );
    expect(broken.example.message).toMatch(/expected 200, got 500 for \/api\/orders\/\d+/);
    expect(flaky).toEqual(expect.objectContaining({ count: 3, testCount: 1 }));
    expect([res.body.clusterCount, res.body.newClusterCount]).toEqual([2, 2]);

    // `limit` lists the largest clusters only; the counts cover every cluster.
    const top = await t.api('POST', '/api/v1/analytics/patterns', {
      token: t.adminToken,
      body: { project: PROJECT, days: 30, limit: 1, examples: 0 },
    });
    expect(top.status).toBe(200);
    expect(top.body.clusters.map((c: { count: number }) => c.count)).toEqual([7]);
    expect(top.body.clusters[0].example).toBeUndefined();
    expect([top.body.failures, top.body.clusterCount]).toEqual([10, 2]);
  });

  it('scores quality from 0 to 100 with its components and history', async () => {
    const res = await t.api('GET', `/api/v1/analytics/quality-score?project=${PROJECT}`, {
      token: t.adminToken,
    });
    expect(res.status).toBe(200);
    expect(res.body.score).toBeGreaterThanOrEqual(0);
    expect(res.body.score).toBeLessThanOrEqual(100);
    const weights = res.body.components.map((c: { weight: number }) => c.weight);
    expect(weights.reduce((a: number, b: number) => a + b, 0)).toBe(100);
    const points = res.body.components.reduce((n: number, c: { points: number }) => n + c.points, 0);
    expect(res.body.score).toBeCloseTo(points, 0);
    expect(res.body.history.length).toBeGreaterThan(0);
  });

  it('refuses users outside the project and bad windows', async () => {
    const outsider = await t.login('outsider', 'outsider-password');
    const refused = await t.api('POST', '/api/v1/analytics/flakiness', {
      token: outsider,
      body: { project: PROJECT },
    });
    expect(refused.status).toBe(403);
    const bad = await t.api('GET', `/api/v1/aggregation/trends?project=${PROJECT}&days=0`, {
      token: t.adminToken,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/days/);
    const badLimit = await t.api('POST', '/api/v1/analytics/flakiness', {
      token: t.adminToken,
      body: { project: PROJECT, limit: -1 },
    });
    expect(badLimit.status).toBe(400);
    expect(JSON.stringify(badLimit.body)).toMatch(/limit/);
    const empty = await t.api('POST', '/api/v1/analytics/flakiness', {
      token: t.adminToken,
      body: { project: 'other' },
    });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(expect.objectContaining({ runs: 0, tests: [] }));
  });

  it('counts a run that lands on a past day at once, though past days and runs are kept in memory', async () => {
    const { api, adminToken: token } = t;
    const read = async () => {
      const [flakiness, trends, metrics, patterns] = await Promise.all([
        api('POST', '/api/v1/analytics/flakiness', { token, body: { project: PROJECT, days: 30 } }),
        api('GET', `/api/v1/aggregation/trends?project=${PROJECT}&days=30`, { token }),
        api('GET', `/api/v1/aggregation/metrics?project=${PROJECT}`, { token }),
        api('POST', '/api/v1/analytics/patterns', { token, body: { project: PROJECT, days: 30 } }),
      ]);
      for (const res of [flakiness, trends, metrics, patterns]) expect(res.status).toBe(200);
      return {
        runs: flakiness.body.runs as number,
        totalRuns: trends.body.totals.runs as number,
        executions: metrics.body.suites[0].executions as number,
        fingerprints: (patterns.body.clusters as Array<{ fingerprint: string }>).length,
      };
    };
    // Twice: the second read is served from what the first one kept (days, runs' states and outcomes).
    await read();
    const before = await read();
    // On the day of run 5 (which has runs already), with a failure no run had before.
    const late = await api('POST', '/api/v1/executions', {
      token,
      body: {
        project: PROJECT,
        runId: 'late-run',
        branch: 'main',
        commit: 'c-late',
        startedAt: new Date(now - (RUNS - 5) * 10 * HOUR + 60_000).toISOString(),
        results: results(0).map((result, i) =>
          i === 0 ? { ...(result as object), status: 'failed', error: { message: 'late failure' } } : result,
        ),
      },
    });
    expect(late.status).toBe(201);
    expect(await read()).toEqual({
      runs: before.runs + 1,
      totalRuns: before.totalRuns + 1,
      executions: before.executions + 5,
      fingerprints: before.fingerprints + 1,
    });
  });

  it('lists the days with runs in a calendar, rebuilt from the buckets when it is missing', async () => {
    const trends = async () =>
      (
        await t.api('GET', `/api/v1/aggregation/trends?project=${PROJECT}&days=30`, {
          token: t.adminToken,
        })
      ).body;
    const before = await trends();
    const ranOn = (before.days as Array<{ day: string }>).map((day) => day.day);
    const connection = await mongoose
      .createConnection(process.env.MONGO_URL as string, { dbName: `${prefix}_data_aggregation` })
      .asPromise();
    try {
      const calendar = connection.collection('project_calendar');
      const marks = connection.collection('project_calendar_marks');
      const listed = async () =>
        (await calendar.find({ project: PROJECT }).toArray()).flatMap((doc) => doc.days as string[]).sort();
      expect(await listed()).toEqual(ranOn);
      expect(await marks.countDocuments({})).toBe(1);

      // As a database rolled up before the calendar existed: no calendar, no mark.
      await calendar.deleteMany({});
      await marks.deleteMany({});
      await t.fleet.restart('data-aggregation');
      for (let i = 0; i < 100 && (await marks.countDocuments({})) === 0; i++)
        await new Promise((done) => setTimeout(done, 100));
      expect(await marks.countDocuments({})).toBe(1);
      expect(await listed()).toEqual(ranOn);
      expect(await trends()).toEqual(before);
    } finally {
      await connection.close();
    }
  });
});
