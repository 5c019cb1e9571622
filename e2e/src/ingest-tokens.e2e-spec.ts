/**
 * Project ingest tokens for CI, end to end: issued, listed and revoked through the gateway, verified by
 * user-preferences on every request, and held to ingestion into their one project.
 */
import { INGEST_TOKEN_RULE } from '@testpulse/contracts';
import { ApiCall, Fleet, startTestFleet } from '@testpulse/testing';

const runId = `e2e_tokens_${Date.now().toString(36)}`;

describe('ingest tokens', () => {
  let fleet: Fleet;
  let api: ApiCall;
  let adminUsername: string;
  let adminToken: string;
  let managerToken: string;
  let qaToken: string;

  const login = async (username: string, password: string) => {
    const res = await api('POST', '/api/v1/auth/login', { body: { username, password } });
    expect(res.status).toBe(200);
    return res.body.accessToken as string;
  };

  const createToken = async (by: string, body: Record<string, unknown>) => {
    const res = await api('POST', '/api/v1/auth/tokens', { token: by, body });
    expect(res.status).toBe(201);
    return res.body as { id: string; token: string; project: string };
  };

  const listTokens = async (by: string, project: string) => {
    const res = await api('GET', `/api/v1/auth/tokens?project=${project}`, { token: by });
    expect(res.status).toBe(200);
    return res.body as { items: Array<Record<string, unknown>>; total: number };
  };

  beforeAll(async () => {
    ({ fleet, api, adminUsername, adminToken } = await startTestFleet(runId, {
      LOG_LEVEL: 'info',
      HEALTH_TIMEOUT_MS: '1000',
      RPC_TIMEOUT_MS: '3000',
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    }));

    for (const user of [
      { username: 'tess', password: 'tess-password', role: 'test_manager' },
      { username: 'quinn', password: 'quinn-password', role: 'qa_engineer' },
    ]) {
      expect((await api('POST', '/api/v1/users', { token: adminToken, body: user })).status).toBe(201);
    }
    for (const project of [
      { key: 'checkout', name: 'Checkout' },
      { key: 'search', name: 'Search' },
    ]) {
      expect((await api('POST', '/api/v1/projects', { token: adminToken, body: project })).status).toBe(201);
    }
    for (const username of ['tess', 'quinn']) {
      const res = await api('PUT', `/api/v1/projects/checkout/members/${username}`, { token: adminToken });
      expect(res.status).toBe(200);
    }
    managerToken = await login('tess', 'tess-password');
    qaToken = await login('quinn', 'quinn-password');
  }, 120_000);

  afterAll(async () => {
    await fleet?.stop();
  });

  describe('issuing', () => {
    it('gives a test manager a token for a project they belong to, shown once', async () => {
      const before = Date.now();
      const res = await api('POST', '/api/v1/auth/tokens', {
        token: managerToken,
        body: { project: 'checkout', name: 'GitHub Actions', expiresInDays: 30 },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{24}$/),
        token: expect.stringMatching(INGEST_TOKEN_RULE),
        project: 'checkout',
        name: 'GitHub Actions',
        createdBy: 'tess',
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      });
      expect(res.body.token.startsWith(`tp_${res.body.id}_`)).toBe(true);
      const days = (Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)) / 86_400_000;
      expect(days).toBe(30);
      expect(Date.parse(res.body.createdAt)).toBeGreaterThanOrEqual(before - 1000);

      const listed = await listTokens(managerToken, 'checkout');
      const entry = listed.items.find((item) => item.id === res.body.id);
      expect(entry).toEqual({
        id: res.body.id,
        project: 'checkout',
        name: 'GitHub Actions',
        createdBy: 'tess',
        createdAt: res.body.createdAt,
        expiresAt: res.body.expiresAt,
      });
      // The secret is not in the listing, in any field.
      const secret = (res.body.token as string).split('_').slice(2).join('_');
      expect(JSON.stringify(listed)).not.toContain(secret);
    });

    it('lets an admin issue for any project; a token without expiry has none', async () => {
      const created = await createToken(adminToken, { project: 'search', name: 'nightly' });
      expect(created).not.toHaveProperty('expiresAt');
      expect(created).toEqual(expect.objectContaining({ project: 'search', createdBy: adminUsername }));
    });

    it('refuses a test manager a project they do not belong to', async () => {
      const res = await api('POST', '/api/v1/auth/tokens', {
        token: managerToken,
        body: { project: 'search', name: 'not mine' },
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toBe("you are not a member of project 'search'");
      expect((await api('GET', '/api/v1/auth/tokens?project=search', { token: managerToken })).status).toBe(
        403,
      );
    });

    it('refuses a QA engineer, even in their own project', async () => {
      const res = await api('POST', '/api/v1/auth/tokens', {
        token: qaToken,
        body: { project: 'checkout', name: 'mine' },
      });
      expect(res.status).toBe(403);
      expect(res.body.message).toContain('tokens:manage');
      expect((await api('GET', '/api/v1/auth/tokens?project=checkout', { token: qaToken })).status).toBe(403);
    });

    it('answers 404 for an unknown project and 400 naming bad fields', async () => {
      const unknown = await api('POST', '/api/v1/auth/tokens', {
        token: adminToken,
        body: { project: 'nope', name: 'x' },
      });
      expect(unknown.status).toBe(404);
      const bad = await api('POST', '/api/v1/auth/tokens', {
        token: adminToken,
        body: { project: 'checkout', name: ' ', expiresInDays: 0, secret: 'mine' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/name must not be empty/);
      expect(bad.body.message).toMatch(/expiresInDays must not be less than 1/);
      expect(bad.body.message).toMatch(/property secret should not exist/);
      const missing = await api('GET', '/api/v1/auth/tokens', { token: adminToken });
      expect(missing.status).toBe(400);
    });
  });

  describe('a token', () => {
    let issued: { id: string; token: string };

    beforeAll(async () => {
      issued = await createToken(managerToken, { project: 'checkout', name: 'rights check' });
    });

    it('is refused on routes needing anything but ingestion, its own project included', async () => {
      const users = await api('GET', '/api/v1/users', { token: issued.token });
      expect(users.status).toBe(403);
      expect(users.body.message).toBe('an ingest token lacks permission users:manage');

      const own = await api('GET', '/api/v1/projects/checkout', { token: issued.token });
      expect(own.status).toBe(403);
      expect(own.body.message).toBe('an ingest token lacks permission projects:read');

      expect((await api('GET', '/api/v1/projects/search', { token: issued.token })).status).toBe(403);
      expect((await api('GET', '/api/v1/projects', { token: issued.token })).status).toBe(403);
      expect((await api('GET', '/api/v1/audit', { token: issued.token })).status).toBe(403);
      // Routes that require no permission are closed to tokens too.
      const me = await api('GET', '/api/v1/auth/me', { token: issued.token });
      expect(me.status).toBe(403);
      // A token cannot mint or list tokens.
      const mint = await api('POST', '/api/v1/auth/tokens', {
        token: issued.token,
        body: { project: 'checkout', name: 'escalate' },
      });
      expect(mint.status).toBe(403);
      expect((await api('GET', '/api/v1/auth/tokens?project=checkout', { token: issued.token })).status).toBe(
        403,
      );
    });

    it('ingests into its own project, streamed or whole, and nowhere else', async () => {
      const result = { suite: 'cart', name: 'adds an item', status: 'passed', durationMs: 12 };
      const whole = await api('POST', '/api/v1/executions', {
        token: issued.token,
        body: { project: 'checkout', runId: `ci-${runId}-1`, results: [result] },
      });
      expect(whole.status).toBe(201);
      expect(whole.body).toEqual(expect.objectContaining({ project: 'checkout', status: 'finished' }));

      const runPath = `/api/v1/executions/ci-${runId}-2`;
      const start = await api('POST', '/api/v1/executions', {
        token: issued.token,
        body: { project: 'checkout', runId: `ci-${runId}-2`, status: 'running' },
      });
      expect(start.status).toBe(201);
      const append = await api('POST', `${runPath}/results`, {
        token: issued.token,
        body: { project: 'checkout', batch: 0, results: [result] },
      });
      expect(append.status).toBe(200);
      const finish = await api('POST', `${runPath}/finish`, {
        token: issued.token,
        body: { project: 'checkout' },
      });
      expect(finish.status).toBe(200);
      expect(finish.body.summary).toEqual(expect.objectContaining({ tests: 1, passed: 1 }));

      const elsewhere = await api('POST', '/api/v1/executions', {
        token: issued.token,
        body: { project: 'search', runId: `ci-${runId}-3`, results: [result] },
      });
      expect(elsewhere.status).toBe(403);
      expect(elsewhere.body.message).toBe("this token may only ingest into project 'checkout'");
      const both = await api('POST', `${runPath}/finish`, {
        token: issued.token,
        body: { project: ['checkout', 'search'] },
      });
      expect(both.status).toBe(403);

      // Reading results back needs a user.
      const read = await api('GET', `${runPath}?project=checkout`, { token: issued.token });
      expect(read.status).toBe(403);
      expect(read.body.message).toBe('an ingest token lacks permission results:read');
      const stored = await api('GET', `${runPath}?project=checkout`, { token: managerToken });
      expect(stored.status).toBe(200);
      expect(stored.body).toEqual(expect.objectContaining({ status: 'finished', project: 'checkout' }));
      expect((await api('GET', `/api/v1/executions?project=search`, { token: adminToken })).body.total).toBe(
        0,
      );
    });

    it('records when it was last used', async () => {
      const entry = (await listTokens(managerToken, 'checkout')).items.find((item) => item.id === issued.id);
      expect(entry?.lastUsedAt).toEqual(expect.any(String));
      expect(Date.parse(entry?.lastUsedAt as string)).toBeGreaterThanOrEqual(
        Date.parse(entry?.createdAt as string),
      );
    });

    it('is audited under its id', async () => {
      const correlationId = `token-audit-${runId}`;
      const res = await api('POST', '/api/v1/projects', {
        token: issued.token,
        body: { key: 'sneaky', name: 'Sneaky' },
        headers: { 'x-correlation-id': correlationId },
      });
      expect(res.status).toBe(403);
      let items: Array<Record<string, unknown>> = [];
      for (
        let attempt = 0;
        attempt < 50 && !items.some((i) => i.correlationId === correlationId);
        attempt++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const page = await api('GET', `/api/v1/audit?pageSize=200&username=token:${issued.id}`, {
          token: adminToken,
        });
        items = page.body.items;
      }
      expect(items).toContainEqual(
        expect.objectContaining({
          correlationId,
          username: `token:${issued.id}`,
          role: null,
          method: 'POST',
          route: '/api/v1/projects',
          status: 403,
        }),
      );
      expect((await api('GET', '/api/v1/projects/sneaky', { token: adminToken })).status).toBe(404);
    });

    it('is refused with 401 when forged, unknown or malformed; JWTs still work', async () => {
      const forgedSecret = issued.token.slice(0, -2) + (issued.token.endsWith('AA') ? 'BB' : 'AA');
      const unknownId = `tp_${'0'.repeat(24)}_${issued.token.slice(-43)}`;
      for (const bad of [forgedSecret, unknownId, 'tp_short', `${issued.token}x`]) {
        const res = await api('GET', '/api/v1/users', { token: bad });
        expect(res.status).toBe(401);
        expect(res.body.message).toBe('invalid ingest token');
      }
      expect((await api('GET', '/api/v1/users', { token: adminToken })).status).toBe(200);
    });
  });

  describe('revocation', () => {
    it('refuses a revoked token from the next request on', async () => {
      const issued = await createToken(managerToken, { project: 'checkout', name: 'to revoke' });
      expect((await api('GET', '/api/v1/users', { token: issued.token })).status).toBe(403);

      // Only through its own project, and only by someone who may manage tokens there.
      const wrongProject = await api('DELETE', `/api/v1/auth/tokens/${issued.id}?project=search`, {
        token: adminToken,
      });
      expect(wrongProject.status).toBe(404);
      const byQa = await api('DELETE', `/api/v1/auth/tokens/${issued.id}?project=checkout`, {
        token: qaToken,
      });
      expect(byQa.status).toBe(403);
      expect((await api('GET', '/api/v1/users', { token: issued.token })).status).toBe(403);

      const revoked = await api('DELETE', `/api/v1/auth/tokens/${issued.id}?project=checkout`, {
        token: managerToken,
      });
      expect(revoked.status).toBe(204);
      const after = await api('GET', '/api/v1/users', { token: issued.token });
      expect(after.status).toBe(401);
      expect(after.body.message).toBe('invalid ingest token');

      const entry = (await listTokens(managerToken, 'checkout')).items.find((item) => item.id === issued.id);
      expect(entry).toEqual(
        expect.objectContaining({
          revokedAt: expect.any(String),
          revokedBy: 'tess',
          lastUsedAt: expect.any(String),
        }),
      );
      // Revoking again changes nothing.
      expect(
        (await api('DELETE', `/api/v1/auth/tokens/${issued.id}?project=checkout`, { token: adminToken }))
          .status,
      ).toBe(204);
      const again = (await listTokens(adminToken, 'checkout')).items.find((item) => item.id === issued.id);
      expect(again).toEqual(entry);
    });

    it('answers 404 for an unknown token and 400 for a malformed id', async () => {
      const unknown = await api('DELETE', `/api/v1/auth/tokens/${'f'.repeat(24)}?project=checkout`, {
        token: adminToken,
      });
      expect(unknown.status).toBe(404);
      const malformed = await api('DELETE', '/api/v1/auth/tokens/not-an-id?project=checkout', {
        token: adminToken,
      });
      expect(malformed.status).toBe(400);
    });

    it('refuses the tokens of a deleted project, even once the key is used again', async () => {
      expect(
        (await api('POST', '/api/v1/projects', { token: adminToken, body: { key: 'ephemeral', name: 'E' } }))
          .status,
      ).toBe(201);
      const issued = await createToken(adminToken, { project: 'ephemeral', name: 'short-lived' });
      expect((await api('GET', '/api/v1/users', { token: issued.token })).status).toBe(403);
      expect((await api('DELETE', '/api/v1/projects/ephemeral', { token: adminToken })).status).toBe(204);
      expect((await api('GET', '/api/v1/users', { token: issued.token })).status).toBe(401);
      expect(
        (await api('POST', '/api/v1/projects', { token: adminToken, body: { key: 'ephemeral', name: 'E2' } }))
          .status,
      ).toBe(201);
      expect((await api('GET', '/api/v1/users', { token: issued.token })).status).toBe(401);
    });
  });
});
