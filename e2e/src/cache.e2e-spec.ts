/**
 * The two cache layers end to end: two gateway instances in front of one fleet, with a Redis of
 * the cache's own (CACHE_REDIS_URL) so that it can be stopped while the transport goes on. Real
 * processes, real Redis and FerretDB. Where a computation happens is counted independently of the
 * cache's own stats, by watching the transport's Redis (MONITOR) for requests to analytics-engine.
 */
import { ApiCall, Fleet, TestFleet, pickFreePorts, request, startTestFleet } from '@testpulse/testing';
import { ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';

const prefix = `cache_${Date.now().toString(36)}`;
const PROJECT = 'shop';
const HOUR = 3600_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A throwaway redis-server on loopback, without persistence. */
class CacheRedis {
  private child?: ChildProcess;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--bind', '127.0.0.1', '--port', String(this.port), '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const client = new Redis({
      port: this.port,
      lazyConnect: true,
      retryStrategy: () => 50,
      maxRetriesPerRequest: 0,
    });
    for (let i = 0; i < 100; i++) {
      try {
        await client.connect().catch(() => undefined);
        if ((await client.ping()) === 'PONG') break;
      } catch {
        await sleep(50);
      }
    }
    client.disconnect();
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

/** Counts requests published to a pattern on the transport's Redis, whoever sends them. */
async function watchRequests(redisUrl: string, pattern: string) {
  const client = new Redis(redisUrl);
  const monitor = await client.monitor();
  const counter = { count: 0 };
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'publish' && args[1] === pattern) counter.count += 1;
  });
  return {
    counter,
    stop: () => {
      monitor.disconnect();
      client.disconnect();
    },
  };
}

const run = (i: number, results: unknown[]) => ({
  project: PROJECT,
  runId: `run-${i}`,
  branch: 'main',
  startedAt: new Date(Date.now() - (10 - i) * HOUR).toISOString(),
  results,
});
const ok = (name: string) => ({ suite: 'cart', name, status: 'passed', durationMs: 20 });
const failed = (name: string) => ({ ...ok(name), status: 'failed', error: { message: 'boom' } });

describe('cache', () => {
  let t: TestFleet;
  let second: Fleet;
  let apiB: ApiCall;
  let cacheRedis: CacheRedis;
  let token: string;
  let runs = 0;

  const ingest = async (results: unknown[]) => {
    const res = await t.api('POST', '/api/v1/executions', { token, body: run(runs++, results) });
    expect(res.status).toBe(201);
  };
  const trends = (api: ApiCall, days = 7) =>
    api('GET', `/api/v1/aggregation/trends?project=${PROJECT}&days=${days}`, { token });
  const stats = async () => {
    const res = await t.api('GET', '/api/v1/cache/stats', { token });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    const [port] = await pickFreePorts(1);
    cacheRedis = new CacheRedis(port);
    await cacheRedis.start();
    t = await startTestFleet(prefix, {
      CACHE_REDIS_URL: `redis://127.0.0.1:${port}`,
      REWARM_QUIET_MS: '300',
      REWARM_MAX_WAIT_MS: '1000',
    });
    token = t.adminToken;
    second = await Fleet.start({ logDir: `${t.fleet.logFile('gateway')}.b`, env: t.env, apps: ['gateway'] });
    apiB = (method, path, options) => request(second.gatewayUrl, method, path, options);
    expect(
      (await t.api('POST', '/api/v1/projects', { token, body: { key: PROJECT, name: 'Shop' } })).status,
    ).toBe(201);
    await ingest([ok('add'), ok('remove'), failed('pay')]);
  }, 120_000);

  afterAll(async () => {
    await second?.stop();
    await t?.fleet.stop();
    await cacheRedis?.stop();
  });

  it('serves the same fresh figures from both gateways right after an ingest through one', async () => {
    const first = await trends(t.api);
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('computed');
    expect((await trends(apiB)).headers['x-cache']).toBe('redis');
    expect((await trends(apiB)).headers['x-cache']).toBe('local');
    expect((await trends(t.api)).headers['x-cache']).toBe('local');
    const before = first.body.totals;

    await ingest([ok('add'), ok('remove'), ok('pay')]);
    // Both gateways held the old entry in memory: the next read of either must not serve it.
    const [b, a] = [await trends(apiB), await trends(t.api)];
    for (const res of [a, b]) {
      expect(res.status).toBe(200);
      expect(res.body.totals.runs).toBe(before.runs + 1);
      expect(res.body.totals.passed).toBe(before.passed + 3);
    }
    // (re-warming after the run may have put the new figures in Redis already)
    expect(['computed', 'redis']).toContain(b.headers['x-cache']);
    expect(a.headers['x-cache']).toBe('redis');
  });

  it('computes a burst of 100 identical cold requests once', async () => {
    const watch = await watchRequests(t.env.REDIS_URL, 'analytics-engine.trends');
    try {
      const burst = await Promise.all(Array.from({ length: 100 }, () => trends(t.api, 11)));
      expect(burst.map((res) => res.status)).toEqual(Array(100).fill(200));
      expect(new Set(burst.map((res) => JSON.stringify(res.body))).size).toBe(1);
      const sources = burst.map((res) => res.headers['x-cache']);
      expect(sources.filter((s) => s === 'computed')).toHaveLength(1);
      expect(sources.filter((s) => s === 'shared' || s === 'local')).toHaveLength(99);
      await sleep(200);
      expect(watch.counter.count).toBe(1);
    } finally {
      watch.stop();
    }
  });

  it('gathers hits, misses and memory from every instance', async () => {
    // An instance busy for longer than the collection window (re-warming after the ingests above, on
    // a loaded CI machine) answers the next collection: ask until every expected instance answered.
    // A heartbeat missed under load drops an instance from `expected` until its next beat (5 s).
    const all = 9;
    let body = await stats();
    for (let attempt = 0; attempt < 15 && (body.instances.length < all || body.expected < all); attempt++) {
      await sleep(1000);
      body = await stats();
    }
    const services = body.instances.map((i: { service: string }) => i.service).sort();
    expect(services).toEqual([
      'alert-management',
      'analytics-engine',
      'cache-management',
      'dashboard-orchestration',
      'data-aggregation',
      'gateway',
      'gateway',
      'report-generation',
      'user-preferences',
    ]);
    expect(body.expected).toBe(all);
    const trendsTotals = body.totals.namespaces['analytics.trends'];
    expect(trendsTotals.computations).toBeGreaterThanOrEqual(3);
    expect(trendsTotals.coalesced).toBeGreaterThanOrEqual(1);
    expect(trendsTotals.hits).toBeGreaterThanOrEqual(4);
    expect(trendsTotals.hitRatio).toBeCloseTo(
      trendsTotals.hits / (trendsTotals.hits + trendsTotals.misses),
      6,
    );
    expect(body.totals.local.entries).toBeGreaterThan(0);
    expect(body.totals.local.bytes).toBeGreaterThan(0);
    expect(body.redisServer.usedMemoryBytes).toBeGreaterThan(0);
  });

  it('invalidates on request, for managers only, and names a bad namespace', async () => {
    expect((await trends(t.api)).headers['x-cache']).toBe('local');
    const res = await t.api('POST', '/api/v1/cache/invalidate', { token, body: { project: PROJECT } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ counter: `tp:cache:gen:p:${PROJECT}`, generation: expect.any(Number) }),
    );
    expect((await trends(apiB)).headers['x-cache']).toBe('computed');

    const bad = await t.api('POST', '/api/v1/cache/invalidate', { token, body: { namespace: 'nope' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/namespace must be one of/);

    const created = await t.api('POST', '/api/v1/users', {
      token,
      body: { username: 'qa', password: 'qa-password-123', role: 'qa_engineer' },
    });
    expect(created.status).toBe(201);
    const qa = await t.login('qa', 'qa-password-123');
    expect((await t.api('POST', '/api/v1/cache/invalidate', { token: qa, body: {} })).status).toBe(403);
    expect((await t.api('GET', '/api/v1/cache/stats', { token: qa })).status).toBe(403);
  });

  it('keeps project access answers no longer than the membership they reflect', async () => {
    // qa (created above) is not a member yet: refused, and refused again from the kept answer.
    const qa = await t.login('qa', 'qa-password-123');
    const asQa = (api: ApiCall) =>
      api('GET', `/api/v1/aggregation/trends?project=${PROJECT}&days=7`, { token: qa });
    expect((await asQa(apiB)).status).toBe(403);
    expect((await asQa(apiB)).status).toBe(403);
    const member = `/api/v1/projects/${PROJECT}/members/qa`;
    expect((await t.api('PUT', member, { token })).status).toBeLessThan(300);
    // Both gateways let qa in at once, whatever they kept...
    expect((await asQa(apiB)).status).toBe(200);
    expect((await asQa(t.api)).status).toBe(200);
    expect((await asQa(apiB)).status).toBe(200);
    // ...and refuse as soon as the membership is gone.
    expect((await t.api('DELETE', member, { token })).status).toBeLessThan(300);
    expect((await asQa(apiB)).status).toBe(403);
    expect((await asQa(t.api)).status).toBe(403);
    // A project created after a 404 is found at once.
    const later = (api: ApiCall) => api('GET', '/api/v1/aggregation/trends?project=later&days=7', { token });
    expect((await later(apiB)).status).toBe(404);
    expect((await later(apiB)).status).toBe(404);
    expect(
      (await t.api('POST', '/api/v1/projects', { token, body: { key: 'later', name: 'Later' } })).status,
    ).toBe(201);
    expect((await later(apiB)).status).toBe(200);
  });

  it('serves a report body from the cache until a run of its project lands', async () => {
    const generate = () =>
      t.api('POST', '/api/v1/reports/generate', {
        token,
        body: { template: 'executive-summary', filter: { projects: [PROJECT] } },
      });
    const a = await generate();
    expect(a.status).toBe(201);
    // Asked again with nothing new: the report already stored, not a copy.
    const b = await generate();
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect((await t.api('GET', `/api/v1/reports/${a.body.id}`, { token })).body.sections).toEqual(
      a.body.sections,
    );
    // Another title is another report, from the same cached body.
    const titled = await t.api('POST', '/api/v1/reports/generate', {
      token,
      body: { template: 'executive-summary', filter: { projects: [PROJECT] }, title: 'Weekly' },
    });
    expect(titled.body.id).not.toBe(a.body.id);
    expect(titled.body.computedAt).toBe(a.body.computedAt);
    expect(titled.body.sections).toEqual(a.body.sections);
    await ingest([ok('add'), failed('remove'), ok('pay')]);
    const c = await generate();
    expect(c.body.id).not.toBe(a.body.id);
    expect(Date.parse(c.body.computedAt)).toBeGreaterThan(Date.parse(b.body.createdAt));
    expect(c.body.sections).not.toEqual(b.body.sections);
  });

  it('warms what users open most, and re-warms it after new runs', async () => {
    // Uses reach user-preferences in batches every 5 s.
    let warmed: Array<{ kind: string; outcome: string }> = [];
    const warmedBoth = () =>
      ['analytics.trends', 'reports'].every((kind) => warmed.some((w) => w.kind === kind));
    for (let i = 0; i < 40 && !warmedBoth(); i++) {
      await sleep(500);
      await t.api('POST', '/api/v1/cache/invalidate', { token, body: { project: PROJECT } });
      const res = await t.api('POST', '/api/v1/cache/warm', { token, body: { project: PROJECT } });
      expect(res.status).toBe(200);
      warmed = res.body.warmed;
    }
    expect(warmed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'analytics.trends', outcome: 'computed' }),
        expect.objectContaining({ kind: 'reports', outcome: 'computed' }),
      ]),
    );
    expect((await trends(apiB)).headers['x-cache']).toBe('redis');

    await ingest([ok('add'), ok('remove'), ok('pay')]);
    // Re-warming starts 300 ms after the run and computes the project's most used entries in turn.
    await sleep(4000);
    const after = await trends(apiB);
    expect(after.headers['x-cache']).toBe('redis');
    expect(after.body.totals.runs).toBe(runs);
  });

  it('answers every read while its Redis is stopped and started again, then uses it again', async () => {
    // Warm both layers of gateway A for the days it reads.
    for (const days of [7, 8, 9]) await trends(t.api, days);
    const failures: string[] = [];
    const sources: string[] = [];
    let reading = true;
    const reader = (async () => {
      for (let i = 0; reading; i++) {
        // Warm windows (7 to 9 days) in turn with windows never read before (13 days and up), which
        // are computed directly, and not stored, while Redis is away.
        const days = i % 2 === 0 ? 7 + ((i / 2) % 3) : 13 + (((i - 1) / 2) % 350);
        const res = await trends(t.api, days);
        if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.body)}`);
        sources.push(res.headers['x-cache']);
      }
    })();
    await sleep(500);
    await cacheRedis.stop();
    await sleep(1500);
    await cacheRedis.start();
    await sleep(3000);
    reading = false;
    await reader;
    expect(failures).toEqual([]);
    expect(sources.length).toBeGreaterThan(20);
    expect(sources).toContain('uncached');

    // Back: the fresh server is empty, so a read computes and stores, and the other gateway finds it there.
    const body = await stats();
    expect(body.instances.every((i: { redisAvailable: boolean }) => i.redisAvailable)).toBe(true);
    expect((await trends(t.api, 12)).headers['x-cache']).toBe('computed');
    expect((await trends(apiB, 12)).headers['x-cache']).toBe('redis');
  });
});
