/**
 * The foundation, end to end: nine real processes on real Redis and the real Mongo-compatible server.
 * Run by `npm test` (scripts/test.sh starts the infrastructure and exports REDIS_URL and MONGO_URL).
 */
import { Fleet, request } from '@testpulse/testing';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';

const ROOT = join(__dirname, '..', '..');
const JWT_SECRET = 'e2e-secret-0123456789abcdef0123456789abcdef';
const ADMIN = { username: 'root-admin', password: 'root-admin-password' };
const runId = `e2e_${Date.now().toString(36)}`;

function requiredEnv(name: 'REDIS_URL' | 'MONGO_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set: run the end-to-end tests through npm test`);
  return value;
}

const b64url = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('foundation: the fleet boots', () => {
  let fleet: Fleet;
  let api: (
    method: string,
    path: string,
    options?: Parameters<typeof request>[3],
  ) => ReturnType<typeof request>;
  let adminToken: string;

  const login = async (username: string, password: string) => {
    const res = await api('POST', '/api/v1/auth/login', { body: { username, password } });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };

  beforeAll(async () => {
    fleet = await Fleet.start({
      logDir: join(ROOT, '.data', 'test', 'logs', runId),
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        REDIS_URL: requiredEnv('REDIS_URL'),
        MONGO_URL: requiredEnv('MONGO_URL'),
        MONGO_DB_PREFIX: runId,
        JWT_SECRET,
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        HEALTH_TIMEOUT_MS: '1000',
        RPC_TIMEOUT_MS: '3000',
        BODY_LIMIT: '64kb',
        RATE_LIMIT_PER_MINUTE: '100000',
        AUTH_RATE_LIMIT_PER_MINUTE: '1000',
      },
    });
    api = (method, path, options) => request(fleet.gatewayUrl, method, path, options);
    adminToken = await login(ADMIN.username, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  describe('health', () => {
    it('reports all eight services up over the transport', async () => {
      const res = await api('GET', '/api/v1/health');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('ok');
      expect(Object.keys(res.body.services).sort()).toEqual(
        [
          'alert-management',
          'analytics-engine',
          'cache-management',
          'dashboard-orchestration',
          'data-aggregation',
          'export-integration',
          'report-generation',
          'user-preferences',
        ].sort(),
      );
      for (const service of Object.values<{ status: string; latencyMs: number }>(res.body.services)) {
        expect(service.status).toBe('up');
        expect(typeof service.latencyMs).toBe('number');
      }
    });

    it('serves probes outside the API prefix and the OpenAPI document', async () => {
      expect((await api('GET', '/health/live')).status).toBe(200);
      expect((await api('GET', '/health/ready')).status).toBe(200);
      const docs = await api('GET', '/api/docs/openapi.json');
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/login',
          '/api/v1/users',
          '/api/v1/projects/{key}/members/{username}',
        ]),
      );
    });
  });

  describe('authentication', () => {
    it('logs in and refreshes', async () => {
      const res = await api('POST', '/api/v1/auth/login', { body: ADMIN });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(
        expect.objectContaining({
          accessToken: expect.any(String),
          refreshToken: expect.any(String),
          expiresIn: 900,
        }),
      );
      const me = await api('GET', '/api/v1/auth/me', { token: res.body.accessToken });
      expect(me.body).toEqual(expect.objectContaining({ username: ADMIN.username, role: 'admin' }));

      const refreshed = await api('POST', '/api/v1/auth/refresh', {
        body: { refreshToken: res.body.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect((await api('GET', '/api/v1/auth/me', { token: refreshed.body.accessToken })).status).toBe(200);
      // An access token is not a refresh token, and the other way round.
      expect(
        (await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: res.body.accessToken } })).status,
      ).toBe(401);
      expect((await api('GET', '/api/v1/auth/me', { token: res.body.refreshToken })).status).toBe(401);
    });

    it('answers 401 to a wrong password and to an unknown user alike', async () => {
      const wrong = await api('POST', '/api/v1/auth/login', {
        body: { ...ADMIN, password: 'not-the-password' },
      });
      const unknown = await api('POST', '/api/v1/auth/login', {
        body: { username: 'nobody', password: 'whatever1' },
      });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.message).toBe(unknown.body.message);
      expect(wrong.body.correlationId).toEqual(expect.any(String));
    });

    describe('refuses a protected route', () => {
      const claims = { sub: ADMIN.username, role: 'admin', typ: 'access' };
      const options = { issuer: 'testpulse', audience: 'testpulse-api' } as const;

      it('without a token', async () => {
        const res = await api('GET', '/api/v1/users');
        expect(res.status).toBe(401);
        expect(res.body.message).toBe('missing bearer token');
      });

      it('with a tampered signature', async () => {
        const [header, , signature] = adminToken.split('.');
        const forged = `${header}.${b64url({ ...claims, exp: Math.floor(Date.now() / 1000) + 3600 })}.${signature}`;
        expect((await api('GET', '/api/v1/users', { token: forged })).status).toBe(401);
      });

      it('with an expired token', async () => {
        const expired = sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, JWT_SECRET, options);
        const res = await api('GET', '/api/v1/users', { token: expired });
        expect(res.status).toBe(401);
        expect(res.body.message).toBe('access token expired');
      });

      it('with alg none', async () => {
        const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, iss: 'testpulse', aud: 'testpulse-api', exp: Math.floor(Date.now() / 1000) + 3600 })}.`;
        expect((await api('GET', '/api/v1/users', { token: unsigned })).status).toBe(401);
      });

      it('with a token signed by another key or another algorithm', async () => {
        const otherKey = sign(claims, 'another-secret-another-secret-another', { ...options, expiresIn: 60 });
        expect((await api('GET', '/api/v1/users', { token: otherKey })).status).toBe(401);
        const header = b64url({ alg: 'HS512', typ: 'JWT' });
        const body = b64url({
          ...claims,
          iss: 'testpulse',
          aud: 'testpulse-api',
          exp: Math.floor(Date.now() / 1000) + 60,
        });
        const hs512 = `${header}.${body}.${createHmac('sha512', JWT_SECRET).update(`${header}.${body}`).digest('base64url')}`;
        expect((await api('GET', '/api/v1/users', { token: hs512 })).status).toBe(401);
      });

      it('but accepts a token it signed itself', async () => {
        const valid = sign(claims, JWT_SECRET, { ...options, expiresIn: 60 });
        expect((await api('GET', '/api/v1/users', { token: valid })).status).toBe(200);
      });
    });
  });

  describe('roles and projects', () => {
    let qaToken: string;
    let poToken: string;

    beforeAll(async () => {
      for (const user of [
        { username: 'quinn', password: 'quinn-password', role: 'qa_engineer' },
        { username: 'paula', password: 'paula-password', role: 'product_owner' },
      ]) {
        const res = await api('POST', '/api/v1/users', { token: adminToken, body: user });
        expect(res.status).toBe(201);
      }
      qaToken = await login('quinn', 'quinn-password');
      poToken = await login('paula', 'paula-password');
      for (const project of [
        { key: 'checkout', name: 'Checkout' },
        { key: 'search', name: 'Search' },
      ]) {
        expect((await api('POST', '/api/v1/projects', { token: adminToken, body: project })).status).toBe(
          201,
        );
      }
    });

    it('refuses a role without the permission with 403', async () => {
      const res = await api('POST', '/api/v1/projects', {
        token: poToken,
        body: { key: 'mine', name: 'Mine' },
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('projects:manage');
      expect((await api('GET', '/api/v1/audit', { token: qaToken })).status).toBe(403);
      expect((await api('POST', '/api/v1/users', { token: qaToken, body: {} })).status).toBe(403);
      // Nothing was created by the refused request.
      expect((await api('GET', '/api/v1/projects/mine', { token: adminToken })).status).toBe(404);
    });

    it('refuses a user outside a project with 403 until made a member', async () => {
      const outside = await api('GET', '/api/v1/projects/checkout', { token: qaToken });
      expect(outside.status).toBe(403);
      expect(outside.body.message).toBe("you are not a member of project 'checkout'");
      expect((await api('GET', '/api/v1/projects/checkout/members', { token: qaToken })).status).toBe(403);

      const added = await api('PUT', '/api/v1/projects/checkout/members/quinn', { token: adminToken });
      expect(added.status).toBe(200);
      expect(added.body).toEqual(
        expect.objectContaining({ project: 'checkout', username: 'quinn', addedBy: ADMIN.username }),
      );

      expect((await api('GET', '/api/v1/projects/checkout', { token: qaToken })).status).toBe(200);
      expect((await api('GET', '/api/v1/projects/search', { token: qaToken })).status).toBe(403);
      const mine = await api('GET', '/api/v1/projects', { token: qaToken });
      expect(mine.body.items.map((p: { key: string }) => p.key)).toEqual(['checkout']);
      const all = await api('GET', '/api/v1/projects', { token: adminToken });
      expect(all.body.items.map((p: { key: string }) => p.key)).toEqual(['checkout', 'search']);

      expect(
        (await api('DELETE', '/api/v1/projects/checkout/members/quinn', { token: adminToken })).status,
      ).toBe(204);
      expect((await api('GET', '/api/v1/projects/checkout', { token: qaToken })).status).toBe(403);
    });

    it('answers 404 for an unknown project and a missing member', async () => {
      expect((await api('GET', '/api/v1/projects/nope', { token: adminToken })).status).toBe(404);
      expect((await api('GET', '/api/v1/projects/nope', { token: qaToken })).status).toBe(404);
      expect((await api('PUT', '/api/v1/projects/search/members/ghost', { token: adminToken })).status).toBe(
        404,
      );
    });

    it('answers 409 for a duplicate user or project', async () => {
      const user = { username: 'quinn', password: 'another-password', role: 'dev_lead' };
      expect((await api('POST', '/api/v1/users', { token: adminToken, body: user })).status).toBe(409);
      const project = { key: 'search', name: 'Again' };
      expect((await api('POST', '/api/v1/projects', { token: adminToken, body: project })).status).toBe(409);
      expect((await api('GET', '/api/v1/projects/search', { token: adminToken })).body.name).toBe('Search');
    });

    it('keeps the last admin and the caller from deleting themselves', async () => {
      const self = await api('DELETE', `/api/v1/users/${ADMIN.username}`, { token: adminToken });
      expect(self.status).toBe(409);
      expect((await api('GET', `/api/v1/users/${ADMIN.username}`, { token: adminToken })).status).toBe(200);
    });
  });

  describe('bad input', () => {
    it('names the invalid fields and stores nothing', async () => {
      const res = await api('POST', '/api/v1/users', {
        token: adminToken,
        body: { username: 'Bad Name', password: 'short', role: 'overlord', isAdmin: true },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/username must be/);
      expect(res.body.message).toMatch(/password must be longer/);
      expect(res.body.message).toMatch(/role must be one of/);
      expect(res.body.message).toMatch(/property isAdmin should not exist/);
      expect((await api('GET', '/api/v1/users?pageSize=200', { token: adminToken })).body.total).toBe(3);
    });

    it('answers 400 naming the position of malformed JSON', async () => {
      const res = await api('POST', '/api/v1/projects', { token: adminToken, body: '{"key": "x",' });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^malformed JSON body: line 1, column \d+: .*position/);
    });

    it('answers 413 to an oversized body', async () => {
      const res = await api('POST', '/api/v1/projects', {
        token: adminToken,
        body: { key: 'big', name: 'x'.repeat(100 * 1024) },
      });
      expect(res.status).toBe(413);
      expect((await api('GET', '/api/v1/projects/big', { token: adminToken })).status).toBe(404);
    });
  });

  describe('audit', () => {
    it('records mutating requests with user, status and the correlation id that travelled', async () => {
      const correlationId = `audit-check-${runId}`;
      const res = await api('POST', '/api/v1/projects', {
        token: adminToken,
        body: { key: 'audited', name: 'Audited' },
        headers: { 'x-correlation-id': correlationId },
      });
      expect(res.status).toBe(201);
      expect(res.headers['x-correlation-id']).toBe(correlationId);
      const refused = await api('POST', '/api/v1/projects', { body: { key: 'anon', name: 'Anon' } });
      expect(refused.status).toBe(401);

      let items: Array<Record<string, unknown>> = [];
      for (
        let attempt = 0;
        attempt < 50 && !items.some((i) => i.correlationId === correlationId);
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        items = (await api('GET', '/api/v1/audit?pageSize=200', { token: adminToken })).body.items;
      }
      expect(items).toContainEqual(
        expect.objectContaining({
          correlationId,
          username: ADMIN.username,
          role: 'admin',
          method: 'POST',
          route: '/api/v1/projects',
          status: 201,
          durationMs: expect.any(Number),
        }),
      );
      expect(items).toContainEqual(
        expect.objectContaining({ correlationId: refused.body.correlationId, username: null, status: 401 }),
      );
      expect(items.some((i) => i.method === 'GET')).toBe(false);
      const page = await api('GET', '/api/v1/audit?page=1&pageSize=2', { token: adminToken });
      expect(page.body).toEqual(expect.objectContaining({ page: 1, pageSize: 2, total: expect.any(Number) }));
      expect(page.body.items).toHaveLength(2);
    });
  });

  describe('boot-time configuration', () => {
    const boot = (app: string, env: Record<string, string>) =>
      spawnSync(process.execPath, [join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
        env: { PATH: process.env.PATH ?? '', ...env },
        encoding: 'utf8',
        timeout: 20_000,
      });

    it('stops a service whose MONGO_URL is bad, naming the variable', () => {
      const result = boot('alert-management', { MONGO_URL: 'postgres://nope', HEALTH_PORT: '0' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('MONGO_URL must be a mongodb://');
    });

    it('refuses to start the gateway outside development without JWT_SECRET', () => {
      const result = boot('gateway', { NODE_ENV: 'production', GATEWAY_PORT: '0' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('JWT_SECRET');
    });
  });

  describe('a service dies', () => {
    it('answers 503 naming it within two seconds while the others still answer', async () => {
      await fleet.kill('export-integration');
      const res = await api('GET', '/api/v1/health', { timeoutMs: 2000 });
      expect(res.status).toBe(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.services['export-integration'].status).toBe('down');
      const others = Object.entries<{ status: string }>(res.body.services).filter(
        ([n]) => n !== 'export-integration',
      );
      expect(others).toHaveLength(7);
      for (const [, status] of others) expect(status.status).toBe('up');
      // The services that are up keep serving.
      expect((await api('GET', '/api/v1/projects/search', { token: adminToken })).status).toBe(200);

      await fleet.restart('export-integration');
      expect((await api('GET', '/api/v1/health')).status).toBe(200);
    });

    it('answers 503 at once for a call into a dead service', async () => {
      await fleet.kill('user-preferences');
      const res = await api('GET', '/api/v1/users', { token: adminToken, timeoutMs: 2000 });
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('user-preferences');
      await fleet.restart('user-preferences');
      expect((await api('GET', '/api/v1/users', { token: adminToken })).status).toBe(200);
    });
  });

  describe('a service hangs or is stopped', () => {
    it('answers 504 after the call deadline when a service takes messages but never answers', async () => {
      const pid = fleet.pid('user-preferences');
      expect(pid).toEqual(expect.any(Number));
      process.kill(pid as number, 'SIGSTOP');
      try {
        const res = await api('GET', '/api/v1/users', { token: adminToken, timeoutMs: 10_000 });
        expect(res.status).toBe(504);
        expect(res.body.message).toMatch(/did not answer within 3000 ms/);
      } finally {
        process.kill(pid as number, 'SIGCONT');
      }
      expect((await api('GET', '/api/v1/users', { token: adminToken })).status).toBe(200);
    });

    it('drains and exits on SIGTERM without being killed', async () => {
      const exit = await fleet.kill('alert-management', 'SIGTERM');
      expect(exit?.signal).not.toBe('SIGKILL');
      const log = readFileSync(fleet.logFile('alert-management'), 'utf8');
      expect(log).toContain('SIGTERM received: draining and shutting down');
      await fleet.restart('alert-management');
    });
  });

  describe('rate limiting', () => {
    it('answers 429 once the authentication budget of an address is spent', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 1100 && !statuses.includes(429); i++) {
        statuses.push(
          (await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'a.b.c' } })).status,
        );
      }
      expect(statuses).toContain(429);
      expect(statuses.filter((s) => ![400, 401, 429].includes(s))).toEqual([]);
    });
  });
});
