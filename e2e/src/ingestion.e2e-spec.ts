/**
 * Ingestion end to end: native JSON, streamed runs, idempotency and conflicts, reading back and
 * drill-down, against the real fleet (scripts/test.sh provides REDIS_URL and MONGO_URL).
 */
import { ApiCall, Fleet, startTestFleet } from '@testpulse/testing';
import mongoose from 'mongoose';

const runPrefix = `ingest_${Date.now().toString(36)}`;
const PROJECT = 'shop';

const result = (name: string, status: string, durationMs: number, extra: Record<string, unknown> = {}) => ({
  suite: 'cart',
  name,
  file: 'test/cart.spec.ts',
  status,
  durationMs,
  ...extra,
});

describe('ingestion', () => {
  let fleet: Fleet;
  let api: ApiCall;
  let token: string;
  let adminName: string;

  beforeAll(async () => {
    ({
      fleet,
      api,
      adminToken: token,
      adminUsername: adminName,
    } = await startTestFleet(runPrefix, {
      INGEST_BODY_LIMIT: '8mb',
      INGEST_TIMEOUT_MS: '20000',
      RUN_TIMEOUT_SECONDS: '2',
      MAINTENANCE_INTERVAL_SECONDS: '1',
      RETENTION_INTERVAL_SECONDS: '1',
    }));
    expect(
      (await api('POST', '/api/v1/projects', { token, body: { key: PROJECT, name: 'Shop' } })).status,
    ).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  const run = (runId: string, results: unknown[], extra: Record<string, unknown> = {}) => ({
    project: PROJECT,
    runId,
    branch: 'main',
    commit: 'abc123',
    startedAt: new Date(Date.now() - 3600_000).toISOString(),
    results,
    ...extra,
  });

  it('stores a native JSON run and reads it back with drill-down', async () => {
    const body = run('native-1', [
      result('adds an item', 'passed', 12),
      result('removes an item', 'failed', 30, {
        error: {
          type: 'AssertionError',
          message: 'expected 1 item, got 2',
          stack: 'AssertionError\n    at t (test/cart.spec.ts:10:5)',
        },
      }),
      result('pays', 'errored', 5, { error: { message: 'ECONNREFUSED 127.0.0.1:5432' } }),
      result('skips', 'skipped', 0),
      result('retries', 'passed', 40, {
        attempts: [{ status: 'failed', durationMs: 35, message: 'timeout' }],
      }),
    ]);
    const res = await api('POST', '/api/v1/executions', { token, body });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      runId: 'native-1',
      project: PROJECT,
      status: 'finished',
      summary: { tests: 5, passed: 2, failed: 1, errored: 1, skipped: 1, flaky: 1, durationMs: 87 },
    });

    const stored = await api('GET', `/api/v1/executions/native-1?project=${PROJECT}`, { token });
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual(
      expect.objectContaining({
        status: 'finished',
        complete: true,
        branch: 'main',
        commit: 'abc123',
        source: 'native',
      }),
    );
    expect(stored.body.summary).toEqual(res.body.summary);

    const failed = await api('GET', `/api/v1/executions/native-1/results?project=${PROJECT}&status=failed`, {
      token,
    });
    expect(failed.body.total).toBe(1);
    expect(failed.body.items[0]).toEqual(
      expect.objectContaining({
        name: 'removes an item',
        status: 'failed',
        testId: expect.stringMatching(/^[0-9a-f]{24}$/),
        error: expect.objectContaining({
          type: 'AssertionError',
          message: 'expected 1 item, got 2',
          stack: expect.stringContaining('cart.spec.ts'),
          fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        }),
      }),
    );
    const all = await api('GET', `/api/v1/executions/native-1/results?project=${PROJECT}&pageSize=2&page=3`, {
      token,
    });
    expect(all.body).toEqual(expect.objectContaining({ total: 5, page: 3, pageSize: 2 }));
    expect(all.body.items).toHaveLength(1);
    const flaky = (
      await api('GET', `/api/v1/executions/native-1/results?project=${PROJECT}`, { token })
    ).body.items.find((r: { name: string }) => r.name === 'retries');
    expect(flaky).toEqual(
      expect.objectContaining({
        flaky: true,
        attempts: [{ status: 'failed', durationMs: 35, message: 'timeout' }],
      }),
    );

    const list = await api('GET', `/api/v1/executions?project=${PROJECT}&branch=main&status=finished`, {
      token,
    });
    expect(list.body.items.map((r: { runId: string }) => r.runId)).toContain('native-1');
  });

  it('treats the same upload again as a no-op and different content for the same runId as a 409', async () => {
    const body = run('native-2', [result('a', 'passed', 1), result('b', 'failed', 2)]);
    expect((await api('POST', '/api/v1/executions', { token, body })).status).toBe(201);
    const again = await api('POST', '/api/v1/executions', { token, body });
    expect(again.status).toBe(200);
    expect(again.body.summary).toEqual(expect.objectContaining({ tests: 2, passed: 1, failed: 1 }));
    const results = await api('GET', `/api/v1/executions/native-2/results?project=${PROJECT}`, { token });
    expect(results.body.total).toBe(2);

    const changed = await api('POST', '/api/v1/executions', {
      token,
      body: run('native-2', [result('a', 'passed', 1), result('b', 'passed', 2)]),
    });
    expect(changed.status).toBe(409);
    expect(changed.body.message).toContain("run 'native-2'");
    expect(
      (await api('GET', `/api/v1/executions/native-2?project=${PROJECT}`, { token })).body.summary.failed,
    ).toBe(1);
  });

  it('refuses invalid results naming the field, and stores nothing', async () => {
    const res = await api('POST', '/api/v1/executions', {
      token,
      body: run('bad-1', [result('a', 'passed', 1), result('b', 'exploded', -3)]),
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/results\[1\]\.status/);
    expect(res.body.message).toMatch(/results\[1\]\.durationMs/);
    expect((await api('GET', `/api/v1/executions/bad-1?project=${PROJECT}`, { token })).status).toBe(404);
  });

  it('answers 404 for an unknown project and 413 for an oversized upload, storing nothing', async () => {
    const unknown = await api('POST', '/api/v1/executions', {
      token,
      body: { ...run('x-1', []), project: 'nope' },
    });
    expect(unknown.status).toBe(404);
    const huge = run('huge-1', [result('a', 'passed', 1, { systemOut: 'x'.repeat(60_000) })]);
    huge.results = Array.from({ length: 160 }, (_, i) => ({ ...(huge.results[0] as object), name: `t${i}` }));
    const res = await api('POST', '/api/v1/executions', { token, body: huge });
    expect(res.status).toBe(413);
    expect((await api('GET', `/api/v1/executions/huge-1?project=${PROJECT}`, { token })).status).toBe(404);
  });

  it('streams a run in three batches with live counts, then finishes it', async () => {
    const start = await api('POST', '/api/v1/executions', {
      token,
      body: { project: PROJECT, runId: 'live-1', status: 'running', branch: 'feature/x' },
    });
    expect(start.status).toBe(201);
    expect(start.body.status).toBe('running');

    const batches = [
      [result('l1', 'passed', 10), result('l2', 'passed', 10)],
      [result('l3', 'failed', 10, { error: { message: 'boom' } })],
      [result('l4', 'skipped', 0), result('l5', 'passed', 10)],
    ];
    for (const [index, results] of batches.entries()) {
      const res = await api('POST', '/api/v1/executions/live-1/results', {
        token,
        body: { project: PROJECT, batch: index, results },
      });
      expect(res.status).toBe(200);
      expect(res.body.stored).toBe(results.length);
      const live = await api('GET', `/api/v1/executions/live-1?project=${PROJECT}`, { token });
      expect(live.body.status).toBe('running');
      expect(live.body.complete).toBe(false);
      expect(live.body.summary.tests).toBe(batches.slice(0, index + 1).flat().length);
    }
    // A batch sent twice is stored once.
    const resent = await api('POST', '/api/v1/executions/live-1/results', {
      token,
      body: { project: PROJECT, batch: 1, results: batches[1] },
    });
    expect(resent.body.stored).toBe(0);
    expect(resent.body.summary.tests).toBe(5);

    const finished = await api('POST', '/api/v1/executions/live-1/finish', {
      token,
      body: { project: PROJECT },
    });
    expect(finished.status).toBe(200);
    expect(finished.body).toEqual(
      expect.objectContaining({
        status: 'finished',
        summary: { tests: 5, passed: 3, failed: 1, errored: 0, skipped: 1, flaky: 0, durationMs: 40 },
      }),
    );
    const again = await api('POST', '/api/v1/executions/live-1/finish', {
      token,
      body: { project: PROJECT },
    });
    expect(again.body.summary).toEqual(finished.body.summary);
    const late = await api('POST', '/api/v1/executions/live-1/results', {
      token,
      body: { project: PROJECT, batch: 9, results: [result('late', 'passed', 1)] },
    });
    expect(late.status).toBe(409);
  });

  it('needs ingest permission and project membership', async () => {
    await api('POST', '/api/v1/users', {
      token,
      body: { username: 'po', password: 'po-password', role: 'product_owner' },
    });
    await api('POST', '/api/v1/users', {
      token,
      body: { username: 'qa', password: 'qa-password', role: 'qa_engineer' },
    });
    const po = (
      await api('POST', '/api/v1/auth/login', { body: { username: 'po', password: 'po-password' } })
    ).body.accessToken;
    const qa = (
      await api('POST', '/api/v1/auth/login', { body: { username: 'qa', password: 'qa-password' } })
    ).body.accessToken;
    await api('PUT', `/api/v1/projects/${PROJECT}/members/po`, { token });
    const body = run('perm-1', [result('a', 'passed', 1)]);
    expect((await api('POST', '/api/v1/executions', { token: po, body })).status).toBe(403);
    expect((await api('POST', '/api/v1/executions', { token: qa, body })).status).toBe(403);
    expect((await api('GET', `/api/v1/executions?project=${PROJECT}`, { token: po })).status).toBe(200);
    expect((await api('GET', `/api/v1/executions/perm-1?project=${PROJECT}`, { token })).status).toBe(404);
  });

  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`gave up waiting for ${what}`);
  };

  it('closes a streamed run that went quiet as interrupted, with the results it got', async () => {
    await api('POST', '/api/v1/executions', {
      token,
      body: { project: PROJECT, runId: 'quiet-1', status: 'running' },
    });
    await api('POST', '/api/v1/executions/quiet-1/results', {
      token,
      body: { project: PROJECT, batch: 0, results: [result('q1', 'passed', 3), result('q2', 'failed', 4)] },
    });
    const run = await waitFor('the run to be interrupted', async () => {
      const res = await api('GET', `/api/v1/executions/quiet-1?project=${PROJECT}`, { token });
      return res.body.status === 'interrupted' && res.body.complete ? res.body : undefined;
    });
    expect(run).toEqual(expect.objectContaining({ complete: true }));
    expect(run.summary).toEqual(expect.objectContaining({ tests: 2, passed: 1, failed: 1 }));
  });

  it('deletes raw results past the project retention and keeps the run summaries', async () => {
    const old = new Date(Date.now() - 10 * 24 * 3600 * 1000).toISOString();
    const body = { ...run('old-1', [result('o1', 'passed', 1), result('o2', 'passed', 1)]), startedAt: old };
    expect((await api('POST', '/api/v1/executions', { token, body })).status).toBe(201);
    expect((await api('GET', `/api/v1/projects/${PROJECT}/retention`, { token })).body).toEqual({
      project: PROJECT,
      rawResultDays: 90,
      isDefault: true,
    });
    const bad = await api('PUT', `/api/v1/projects/${PROJECT}/retention`, {
      token,
      body: { rawResultDays: 0 },
    });
    expect(bad.status).toBe(400);
    const set = await api('PUT', `/api/v1/projects/${PROJECT}/retention`, {
      token,
      body: { rawResultDays: 5 },
    });
    expect(set.body).toEqual({ project: PROJECT, rawResultDays: 5, isDefault: false });

    await waitFor('old results to be deleted', async () => {
      const res = await api('GET', `/api/v1/executions/old-1/results?project=${PROJECT}`, { token });
      return res.body.total === 0 ? true : undefined;
    });
    const kept = await api('GET', `/api/v1/executions/old-1?project=${PROJECT}`, { token });
    expect(kept.body.summary.tests).toBe(2);
    // A late upload of a run on a day already cleared is cleared too (its day is looked at again).
    const late = { ...run('old-2', [result('o3', 'passed', 1)]), startedAt: old };
    expect((await api('POST', '/api/v1/executions', { token, body: late })).status).toBe(201);
    await waitFor('the late run results to be deleted', async () => {
      const res = await api('GET', `/api/v1/executions/old-2/results?project=${PROJECT}`, { token });
      return res.body.total === 0 ? true : undefined;
    });
    // Recent runs keep their results.
    expect(
      (await api('GET', `/api/v1/executions/native-1/results?project=${PROJECT}`, { token })).body.total,
    ).toBe(5);
  });

  it('completes an upload cut off by a crash when it is sent again, counting nothing twice', async () => {
    const results = Array.from({ length: 4_000 }, (_, i) => ({
      ...result(`crash-${i}`, i % 10 === 0 ? 'failed' : 'passed', 1),
      suite: `suite-${i % 40}`,
    }));
    const body = run('crash-1', results);
    const upload = api('POST', '/api/v1/executions', { token, body, timeoutMs: 60_000 });
    await waitFor('the first batches to be stored', async () => {
      const res = await api('GET', `/api/v1/executions/crash-1?project=${PROJECT}`, { token });
      return res.status === 200 && res.body.summary.tests > 0 ? true : undefined;
    });
    await fleet.kill('data-aggregation');
    expect([502, 503, 504]).toContain((await upload).status);
    await fleet.restart('data-aggregation');

    const cut = await api('GET', `/api/v1/executions/crash-1?project=${PROJECT}`, { token });
    expect(cut.body.complete).toBe(false);

    const retry = await api('POST', '/api/v1/executions', { token, body, timeoutMs: 60_000 });
    expect(retry.status).toBe(201);
    expect(retry.body.summary).toEqual(
      expect.objectContaining({ tests: 4_000, passed: 3_600, failed: 400, durationMs: 4_000 }),
    );
    const stored = await api(
      'GET',
      `/api/v1/executions/crash-1/results?project=${PROJECT}&status=failed&pageSize=1`,
      {
        token,
      },
    );
    expect(stored.body.total).toBe(400);
    const again = await api('POST', '/api/v1/executions', { token, body, timeoutMs: 60_000 });
    expect(again.status).toBe(200);
    expect(again.body.summary.tests).toBe(4_000);
  }, 120_000);

  it("lists a project's and a branch's newest runs from their heads, rebuilt from the runs when missing", async () => {
    const HEADS = 'heads';
    expect(
      (await api('POST', '/api/v1/projects', { token, body: { key: HEADS, name: 'Heads' } })).status,
    ).toBe(201);
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();
    // Sent out of order: the newest runs are h2, then h4 and h5 (same start, by runId), h3, h1.
    const sent: Array<[string, string, number]> = [
      ['h1', 'main', 5],
      ['h3', 'main', 3],
      ['h2', 'feature/x', 1],
      ['h5', 'main', 2],
      ['h4', 'main', 2],
    ];
    const sameStart = hoursAgo(2);
    for (const [runId, branch, h] of sent) {
      const body = {
        ...run(runId, [result(`${runId}-t`, 'passed', 1)], { branch }),
        project: HEADS,
        startedAt: h === 2 ? sameStart : hoursAgo(h),
      };
      expect((await api('POST', '/api/v1/executions', { token, body })).status).toBe(201);
    }
    // A run of the main branch still going: the newest of its branch.
    const started = await api('POST', '/api/v1/executions', {
      token,
      body: { project: HEADS, runId: 'h6', status: 'running', branch: 'main', startedAt: hoursAgo(0.5) },
    });
    expect(started.status).toBe(201);

    const added = await api('POST', '/api/v1/dashboard/widgets', {
      token,
      body: {
        add: [
          { type: 'recent-runs', config: { projects: [HEADS], limit: 4 } },
          { type: 'recent-runs', config: { projects: [HEADS], limit: 3, branch: 'main' } },
        ],
      },
    });
    expect(added.status).toBe(201);
    const recentIds = async () => {
      const res = await api('GET', `/api/v1/dashboard/${adminName}`, { token });
      expect(res.status).toBe(200);
      return (res.body.widgets as Array<{ type: string; config: { projects: string[] }; data: unknown }>)
        .filter((w) => w.type === 'recent-runs' && w.config.projects.includes(HEADS))
        .map((w) => (w.data as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId));
    };
    const expected = [
      ['h6', 'h2', 'h4', 'h5'],
      ['h6', 'h4', 'h5'],
    ];
    expect(await recentIds()).toEqual(expected);
    // Someone else's dashboard, of a user who does not exist.
    const nobody = await api('GET', '/api/v1/dashboard/nobody-here', { token });
    expect(nobody.status).toBe(404);
    expect(nobody.body.message).toContain("user 'nobody-here' does not exist");

    const connection = await mongoose
      .createConnection(process.env.MONGO_URL as string, { dbName: `${runPrefix}_data_aggregation` })
      .asPromise();
    try {
      const heads = connection.collection('run_heads');
      const marks = connection.collection('run_head_marks');
      const listed = async (id: string) =>
        ((await heads.findOne({ _id: id as never }))?.runs as Array<{ runId: string }> | undefined)
          ?.map((entry) => entry.runId)
          .sort();
      expect(await listed(HEADS)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
      expect(await listed(`${HEADS}|main`)).toEqual(['h1', 'h3', 'h4', 'h5', 'h6']);
      expect(await listed(`${HEADS}|feature/x`)).toEqual(['h2']);

      // As a database of runs stored before heads existed: no heads, no mark.
      await heads.deleteMany({});
      await marks.deleteMany({});
      await fleet.restart('data-aggregation');
      for (let i = 0; i < 100 && (await marks.countDocuments({})) === 0; i++)
        await new Promise((done) => setTimeout(done, 100));
      expect(await marks.countDocuments({})).toBe(1);
      expect(await listed(`${HEADS}|main`)).toEqual(['h1', 'h3', 'h4', 'h5', 'h6']);
      expect(await listed(HEADS)).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
      expect((await api('POST', '/api/v1/cache/invalidate', { token, body: {} })).status).toBe(200);
      expect(await recentIds()).toEqual(expected);
    } finally {
      await connection.close();
    }
  }, 120_000);
});
