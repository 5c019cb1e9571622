/**
 * User preferences end to end: role templates, saving and reading back, who may read whose, bad
 * input refused with the field named, and a deleted user's preferences gone with them.
 */
import { TestFleet, startTestFleet } from '@testpulse/testing';

const prefix = `prefs_${Date.now().toString(36)}`;

describe('preferences', () => {
  let t: TestFleet;
  let admin: string;
  let qa: string;
  let lead: string;

  const createUser = async (username: string, role: string) => {
    const res = await t.api('POST', '/api/v1/users', {
      token: admin,
      body: { username, password: `${username}-password-1`, role },
    });
    expect(res.status).toBe(201);
    return t.login(username, `${username}-password-1`);
  };

  beforeAll(async () => {
    t = await startTestFleet(prefix);
    admin = t.adminToken;
    qa = await createUser('quinn', 'qa_engineer');
    lead = await createUser('lee', 'dev_lead');
  }, 120_000);

  afterAll(async () => {
    await t?.fleet.stop();
  });

  it('lists a template for every role', async () => {
    const res = await t.api('GET', '/api/v1/preferences/templates', { token: qa });
    expect(res.status).toBe(200);
    expect(res.body.map((template: { role: string }) => template.role)).toEqual([
      'admin',
      'test_manager',
      'dev_lead',
      'qa_engineer',
      'product_owner',
    ]);
    const lead = res.body.find((template: { role: string }) => template.role === 'dev_lead');
    expect(lead.preferences.defaultFilters).toEqual({ days: 14, branch: 'main' });
  });

  it("starts a user from their role's template, then keeps what they save", async () => {
    const fresh = await t.api('GET', '/api/v1/preferences/quinn', { token: qa });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toEqual({
      username: 'quinn',
      role: 'qa_engineer',
      defaultDashboard: null,
      timezone: 'UTC',
      theme: 'system',
      defaultFilters: { days: 7 },
      notifications: { email: false, inApp: true, digest: 'off', minSeverity: 'warning' },
      updatedAt: null,
    });

    const saved = await t.api('PUT', '/api/v1/preferences/quinn', {
      token: qa,
      body: {
        timezone: 'Europe/Paris',
        theme: 'dark',
        defaultDashboard: 'release-board',
        defaultFilters: { projects: ['shop'], branch: 'release/2.1', days: 14 },
      },
    });
    expect(saved.status).toBe(200);
    const read = await t.api('GET', '/api/v1/preferences/quinn', { token: qa });
    expect(read.body).toEqual(saved.body);
    expect(read.body).toEqual(
      expect.objectContaining({
        timezone: 'Europe/Paris',
        theme: 'dark',
        defaultDashboard: 'release-board',
        defaultFilters: { projects: ['shop'], branch: 'release/2.1', days: 14 },
        // not given: the template's
        notifications: { email: false, inApp: true, digest: 'off', minSeverity: 'warning' },
      }),
    );
    expect(Date.parse(read.body.updatedAt)).toBeGreaterThan(Date.now() - 60_000);

    // PUT replaces: what is left out is the template's again.
    const replaced = await t.api('PUT', '/api/v1/preferences/quinn', {
      token: qa,
      body: {
        theme: 'light',
        notifications: { email: true, inApp: false, digest: 'weekly', minSeverity: 'critical' },
      },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual(
      expect.objectContaining({
        theme: 'light',
        timezone: 'UTC',
        defaultDashboard: null,
        defaultFilters: { days: 7 },
        notifications: { email: true, inApp: false, digest: 'weekly', minSeverity: 'critical' },
      }),
    );
  });

  it("lets a user read only their own, and an administrator anyone's", async () => {
    expect((await t.api('GET', '/api/v1/preferences/lee', { token: qa })).status).toBe(403);
    const refused = await t.api('PUT', '/api/v1/preferences/lee', { token: qa, body: { theme: 'dark' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/your own preferences/);
    expect((await t.api('GET', '/api/v1/preferences/lee', { token: lead })).body.theme).toBe('system');

    const byAdmin = await t.api('PUT', '/api/v1/preferences/lee', { token: admin, body: { theme: 'dark' } });
    expect(byAdmin.status).toBe(200);
    expect((await t.api('GET', '/api/v1/preferences/lee', { token: lead })).body.theme).toBe('dark');
    expect((await t.api('GET', '/api/v1/preferences/nobody', { token: admin })).status).toBe(404);
    expect((await t.api('GET', '/api/v1/preferences/quinn', {})).status).toBe(401);
  });

  it('refuses bad preferences, naming the field, and keeps what was saved', async () => {
    const before = (await t.api('GET', '/api/v1/preferences/lee', { token: lead })).body;
    const cases: Array<[unknown, RegExp]> = [
      [{ timezone: 'Mars/Olympus' }, /timezone must be an IANA time zone/],
      [{ theme: 'neon' }, /theme must be one of light, dark, system/],
      [{ colour: 'red' }, /colour should not exist/],
      [{ notifications: { email: true } }, /inApp/],
      [{ defaultFilters: { days: 0 } }, /days must not be less than 1/],
      [{ defaultFilters: { projects: ['Not A Key'] } }, /defaultFilters.projects must hold project keys/],
      [{ defaultDashboard: '../etc' }, /defaultDashboard must be a dashboard id/],
    ];
    for (const [body, message] of cases) {
      const res = await t.api('PUT', '/api/v1/preferences/lee', { token: lead, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(res.body)).toMatch(message);
    }
    expect((await t.api('GET', '/api/v1/preferences/lee', { token: lead })).body).toEqual(before);
  });

  it('lists what a user opens most, for them and administrators only', async () => {
    expect(
      (await t.api('POST', '/api/v1/projects', { token: admin, body: { key: 'shop', name: 'Shop' } })).status,
    ).toBe(201);
    expect((await t.api('PUT', '/api/v1/projects/shop/members/quinn', { token: admin })).status).toBeLessThan(
      300,
    );
    for (let i = 0; i < 3; i++) {
      const res = await t.api('GET', '/api/v1/aggregation/trends?project=shop&days=7', { token: qa });
      expect(res.status).toBe(200);
    }
    expect((await t.api('GET', '/api/v1/analytics/quality-score?project=shop', { token: qa })).status).toBe(
      200,
    );
    // Uses reach user-preferences in batches every 5 s.
    let top: Array<{ kind: string; uses: number; params: Record<string, unknown> }> = [];
    for (let i = 0; i < 30 && top.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const res = await t.api('GET', '/api/v1/preferences/quinn/most-used?project=shop', { token: qa });
      expect(res.status).toBe(200);
      top = res.body;
    }
    expect(top[0]).toEqual(
      expect.objectContaining({
        kind: 'analytics.trends',
        uses: 3,
        params: expect.objectContaining({ project: 'shop', days: 7 }),
      }),
    );
    expect(top[1]).toEqual(expect.objectContaining({ kind: 'analytics.quality', uses: 1 }));
    expect((await t.api('GET', '/api/v1/preferences/quinn/most-used', { token: lead })).status).toBe(403);
    expect((await t.api('GET', '/api/v1/preferences/quinn/most-used', { token: admin })).status).toBe(200);
    const bad = await t.api('GET', '/api/v1/preferences/quinn/most-used?limit=0', { token: qa });
    expect(bad.status).toBe(400);
  });

  it("removes a deleted user's preferences with them", async () => {
    expect((await t.api('DELETE', '/api/v1/users/lee', { token: admin })).status).toBe(204);
    await createUser('lee', 'product_owner');
    const res = await t.api('GET', '/api/v1/preferences/lee', { token: admin });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({ role: 'product_owner', theme: 'system', updatedAt: null }),
    );
  });
});
