/**
 * Dashboards end to end, with real processes and two gateway instances: role default dashboards
 * composed with their widgets' data in one call, widgets added and removed, the layout packed,
 * sharing with users, roles and revocable links, and live widget updates over Socket.IO after an
 * ingest, as JSON patches that bring a client to the state a fresh read gives.
 */
import { ApiCall, Fleet, TestFleet, request, startTestFleet, waitUntil } from '@testpulse/testing';
import { Operation, applyPatch } from 'fast-json-patch';
import { DataVersions } from '@testpulse/cache';
import Redis from 'ioredis';
import { MongoClient } from 'mongodb';
import { Socket, io } from 'socket.io-client';

const prefix = `db_${Date.now().toString(36)}`;
const HOUR = 3600_000;

interface Widget {
  id: string;
  type: string;
  title: string;
  config: { projects: string[] };
  version?: string;
  data?: unknown;
  error?: { status: number; message: string };
}
interface Item {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Update {
  dashboardId: string;
  widgetId: string;
  type: string;
  base: string | null;
  version: string;
  patch: Operation[];
  data?: unknown;
  cause: { project: string; runId: string; event: string };
}

function overlaps(items: Item[]): boolean {
  return items.some((a, i) =>
    items.some((b, j) => i < j && a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h),
  );
}

const until = (check: () => boolean, ms = 15_000) => waitUntil(check, ms);

describe('dashboards', () => {
  let t: TestFleet;
  let second: Fleet;
  let apiB: ApiCall;
  let admin: string;
  const tokens: Record<string, string> = {};
  const sockets: Socket[] = [];
  let runs = 0;

  const ingest = async (project: string, failing = 1, api: ApiCall = t.api) => {
    const res = await api('POST', '/api/v1/executions', {
      token: admin,
      body: {
        project,
        runId: `run-${++runs}`,
        branch: 'main',
        startedAt: new Date(Date.now() - HOUR).toISOString(),
        results: Array.from({ length: 4 }, (_, i) => ({
          suite: 'cart',
          name: `t${i}`,
          status: i < failing ? 'failed' : 'passed',
          durationMs: 10 * 2 ** i,
          ...(i < failing ? { error: { message: `expected 200 got 500 at step ${runs}` } } : {}),
        })),
      },
    });
    expect(res.status).toBe(201);
    return `run-${runs}`;
  };
  const dashboard = async (user: string, query = '', api: ApiCall = t.api) => {
    const res = await api('GET', `/api/v1/dashboard/${user}${query}`, { token: tokens[user] });
    return res;
  };
  const widgetOf = (body: { widgets: Widget[] }, type: string) =>
    body.widgets.find((w) => w.type === type) as Widget;

  const connect = async (baseUrl: string, token: string) => {
    const socket = io(`${baseUrl}/dashboard`, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    const updates: Update[] = [];
    socket.on('widget.update', (update: Update) => updates.push(update));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return { socket, updates };
  };
  const join = (socket: Socket, room: string) =>
    socket.timeout(5000).emitWithAck('join', { room }) as Promise<{
      ok: boolean;
      status?: number;
      error?: string;
    }>;

  beforeAll(async () => {
    t = await startTestFleet(prefix);
    admin = t.adminToken;
    second = await Fleet.start({ logDir: `${t.fleet.logFile('gateway')}.b`, env: t.env, apps: ['gateway'] });
    apiB = (method, path, options) => request(second.gatewayUrl, method, path, options);
    for (const key of ['shop', 'bank']) {
      expect(
        (await t.api('POST', '/api/v1/projects', { token: admin, body: { key, name: key } })).status,
      ).toBe(201);
    }
    const users: Array<[string, string, string[]]> = [
      ['quinn', 'qa_engineer', ['shop']],
      ['tess', 'test_manager', ['shop', 'bank']],
      ['otto', 'qa_engineer', ['bank']],
      ['pat', 'product_owner', ['shop']],
      ['nina', 'dev_lead', []],
    ];
    for (const [username, role, projects] of users) {
      const created = await t.api('POST', '/api/v1/users', {
        token: admin,
        body: { username, password: `${username}-password-1`, role },
      });
      expect(created.status).toBe(201);
      for (const project of projects)
        expect(
          (await t.api('PUT', `/api/v1/projects/${project}/members/${username}`, { token: admin })).status,
        ).toBeLessThan(300);
      tokens[username] = await t.login(username, `${username}-password-1`);
    }
    await ingest('shop');
    await ingest('bank', 0);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await second?.stop();
    await t?.fleet.stop();
  });

  it("gives a new user their role's dashboard over their projects, with every widget's data", async () => {
    const res = await dashboard('quinn');
    expect(res.status).toBe(200);
    const body = res.body;
    expect(body).toEqual(
      expect.objectContaining({
        owner: 'quinn',
        createdFrom: 'qa_engineer',
        name: 'QA: this week',
        editable: true,
      }),
    );
    expect(body.widgets.map((w: Widget) => w.type)).toEqual([
      'kpi-tiles',
      'recent-runs',
      'failure-clusters',
      'flaky-tests',
      'pass-rate-trend',
    ]);
    for (const widget of body.widgets as Widget[]) {
      expect(widget.config.projects).toEqual(['shop']);
      expect(widget.error).toBeUndefined();
      expect(widget.version).toMatch(/^[A-Za-z0-9_-]{16}$/);
    }
    const tiles = (widgetOf(body, 'kpi-tiles').data as { tiles: Array<{ kpi: string; value: number }> })
      .tiles;
    expect(tiles.find((tile) => tile.kpi === 'pass-rate')?.value).toBe(75);
    expect(tiles.find((tile) => tile.kpi === 'open-alerts')?.value).toBe(0);
    const recent = widgetOf(body, 'recent-runs').data as {
      runs: Array<{ runId: string; summary: { failed: number } }>;
    };
    expect(recent.runs).toEqual([
      expect.objectContaining({ runId: 'run-1', summary: expect.objectContaining({ failed: 1 }) }),
    ]);
    const clusters = widgetOf(body, 'failure-clusters').data as { clusters: Array<{ count: number }> };
    expect(clusters.clusters[0].count).toBe(1);
    for (const name of ['lg', 'md', 'sm', 'xs']) {
      expect(body.layouts[name]).toHaveLength(5);
      expect(overlaps(body.layouts[name])).toBe(false);
    }
    expect(body.layouts.xs.every((item: Item) => item.x === 0 && item.w === 1)).toBe(true);

    // The same dashboard again, through the other gateway; another role gets its own.
    const again = await dashboard('quinn', '', apiB);
    expect(again.body.id).toBe(body.id);
    const tess = await dashboard('tess');
    expect(tess.body.name).toBe('Quality: this month');
    expect(widgetOf(tess.body, 'active-alerts').data).toEqual({
      counts: { open: 0, acknowledged: 0, bySeverity: { info: 0, warning: 0, critical: 0 } },
      alerts: [],
    });
    expect(widgetOf(tess.body, 'kpi-tiles').config.projects).toEqual(['bank', 'shop']);
    // A user without projects gets the role's dashboard with nothing on it.
    const nina = await dashboard('nina');
    expect(nina.status).toBe(200);
    expect(nina.body).toEqual(expect.objectContaining({ createdFrom: 'dev_lead', widgets: [] }));
    // Once she belongs to a project and arranges it, her role's dashboard is stored with her widget.
    expect((await t.api('PUT', '/api/v1/projects/bank/members/nina', { token: admin })).status).toBeLessThan(
      300,
    );
    const added = await t.api('POST', '/api/v1/dashboard/widgets', {
      token: tokens.nina,
      body: { add: [{ type: 'recent-runs', config: { projects: ['bank'] } }] },
    });
    expect(added.status).toBe(201);
    expect(added.body.id).toBe(nina.body.id);
    const stored = (await dashboard('nina')).body;
    expect(stored.widgets.map((w: Widget) => w.type)).toEqual([
      'kpi-tiles',
      'flaky-tests',
      'slowest-tests',
      'duration-trend',
      'recent-runs',
      'recent-runs',
    ]);
    expect(stored.widgets.every((w: Widget) => w.config.projects.join() === 'bank' && !w.error)).toBe(true);
    expect((stored.widgets[5].data as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it("shows a project's open alerts once alert-management has them and the widgets' generation moved", async () => {
    // Alerts are raised by alert-management's rules; here one is stored in its own database.
    const mongo = await MongoClient.connect(t.env.MONGO_URL);
    try {
      await mongo
        .db(`${prefix}_alert_management`)
        .collection('alerts')
        .insertMany([
          {
            _id: 'a1' as never,
            project: 'shop',
            rule: 'pass-rate-below-90',
            severity: 'critical',
            state: 'open',
            title: 'Pass rate 75 % below 90 %',
            raisedAt: new Date(),
          },
          {
            _id: 'a2' as never,
            project: 'shop',
            rule: 'old',
            severity: 'info',
            state: 'resolved',
            title: 'resolved long ago',
            raisedAt: new Date(0),
          },
        ]);
    } finally {
      await mongo.close();
    }
    // What alert-management does when an alert changes: the project's alerts version moves (it keeps
    // the unresolved alerts it read under it), and so does the project's widget generation.
    const redis = new Redis(t.env.REDIS_URL);
    try {
      await redis.incr(DataVersions.key('alerts:shop'));
    } finally {
      redis.disconnect();
    }
    const bumped = await t.api('POST', '/api/v1/cache/invalidate', {
      token: admin,
      body: { project: 'shop', namespace: 'dashboard.widgets' },
    });
    expect(bumped.status).toBe(200);
    const tess = (await dashboard('tess')).body;
    const active = widgetOf(tess, 'active-alerts').data as {
      counts: { open: number };
      alerts: Array<{ id: string }>;
    };
    expect(active.counts.open).toBe(1);
    expect(active.alerts.map((a) => a.id)).toEqual(['a1']);
    const tiles = (
      widgetOf(tess, 'kpi-tiles').data as { tiles: Array<{ project: string; kpi: string; value: number }> }
    ).tiles;
    expect(tiles.filter((tile) => tile.kpi === 'open-alerts')).toEqual([
      { project: 'bank', kpi: 'open-alerts', value: 0, unit: 'alerts' },
      { project: 'shop', kpi: 'open-alerts', value: 1, unit: 'alerts' },
    ]);
  });

  it("keeps a user's dashboards to themselves unless shared, and an admin may open any", async () => {
    const res = await t.api('GET', '/api/v1/dashboard/quinn', { token: tokens.otto });
    expect(res.status).toBe(403);
    expect((await t.api('GET', '/api/v1/dashboard/quinn', { token: admin })).status).toBe(200);
    const id = (await dashboard('quinn')).body.id;
    const foreign = await dashboard('otto', `?dashboardId=${id}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toContain('not shared with you');
    expect((await dashboard('otto', '?dashboardId=nope')).status).toBe(404);
    expect((await dashboard('otto', '?dashboardId=bad%20id')).status).toBe(400);
  });

  it('adds and removes widgets, packs the layout, and refuses what it cannot do', async () => {
    const before = (await dashboard('quinn')).body;
    const added = await t.api('POST', '/api/v1/dashboard/widgets', {
      token: tokens.quinn,
      body: {
        add: [{ type: 'slowest-tests', config: { projects: ['shop'], days: 7, limit: 3 }, w: 4, h: 3 }],
      },
    });
    expect(added.status).toBe(201);
    const slow = widgetOf(added.body, 'slowest-tests');
    expect(slow.title).toBe('Slowest tests and regressions, 7 days');
    expect((slow.data as { slowest: Array<{ name: string }> }).slowest.map((s) => s.name)).toEqual([
      't3',
      't2',
      't1',
    ]);
    expect(added.body.layouts.lg.find((item: Item) => item.id === slow.id)).toEqual(
      expect.objectContaining({ w: 4, h: 3 }),
    );
    expect(overlaps(added.body.layouts.lg)).toBe(false);

    const refusals: Array<[unknown, number, string]> = [
      [{ add: [{ type: 'pie-chart', config: { projects: ['shop'] } }] }, 400, 'type must be one of'],
      [{ add: [{ type: 'flaky-tests', config: { projects: [] } }] }, 400, 'config.projects'],
      [{ add: [{ type: 'flaky-tests', config: { projects: ['bank'] } }] }, 403, "project 'bank'"],
      [{ add: [{ type: 'flaky-tests', config: { projects: ['nowhere'] } }] }, 404, "project 'nowhere'"],
      [{ remove: ['nosuchwidget'] }, 404, "no widget 'nosuchwidget'"],
      [{}, 400, 'give widgets to add'],
    ];
    for (const [body, status, message] of refusals) {
      const res = await t.api('POST', '/api/v1/dashboard/widgets', { token: tokens.quinn, body });
      expect([res.status, JSON.stringify(res.body)]).toEqual([status, expect.stringContaining(message)]);
    }
    // Nothing was half-written.
    expect((await dashboard('quinn')).body.widgets).toHaveLength(before.widgets.length + 1);

    // Two widgets asked at the same place, with a gap above: packed, no overlap, no gap.
    const [a, b] = before.widgets as Widget[];
    const placed = await t.api('PUT', '/api/v1/dashboard/layout', {
      token: tokens.quinn,
      body: {
        items: [
          { id: a.id, x: 0, y: 5, w: 6, h: 2 },
          { id: b.id, x: 2, y: 5, w: 6, h: 2 },
        ],
      },
    });
    expect(placed.status).toBe(200);
    const lg = placed.body.layouts.lg as Item[];
    expect(lg.find((item) => item.id === a.id)).toEqual({ id: a.id, x: 0, y: 0, w: 6, h: 2 });
    expect(lg.find((item) => item.id === b.id)).toEqual({ id: b.id, x: 2, y: 2, w: 6, h: 2 });
    expect(overlaps(lg)).toBe(false);
    expect(lg).toHaveLength(before.widgets.length + 1);
    const badLayout = await t.api('PUT', '/api/v1/dashboard/layout', {
      token: tokens.quinn,
      body: { items: [{ id: a.id, x: 11, y: 0, w: 13, h: 1 }] },
    });
    expect(badLayout.status).toBe(400);

    // Changes at the same time are made one after the other: none is lost.
    const racing = await Promise.all(
      [1, 2, 3, 4].map((limit) =>
        t.api('POST', '/api/v1/dashboard/widgets', {
          token: tokens.quinn,
          body: {
            add: [{ type: 'flaky-tests', title: `race ${limit}`, config: { projects: ['shop'], limit } }],
          },
        }),
      ),
    );
    expect(racing.map((res) => res.status)).toEqual([201, 201, 201, 201]);
    const won = racing.length;
    const raced = (await dashboard('quinn')).body.widgets.filter((w: Widget) => w.title.startsWith('race '));
    expect(raced).toHaveLength(won);
    expect(
      (
        await t.api('POST', '/api/v1/dashboard/widgets', {
          token: tokens.quinn,
          body: { remove: raced.map((w: Widget) => w.id) },
        })
      ).status,
    ).toBe(201);

    const removed = await t.api('POST', '/api/v1/dashboard/widgets', {
      token: tokens.quinn,
      body: { remove: [slow.id] },
    });
    expect(removed.status).toBe(201);
    expect(removed.body.widgets.map((w: Widget) => w.id)).not.toContain(slow.id);
    expect(removed.body.layouts.lg.map((item: Item) => item.id)).not.toContain(slow.id);
  });

  it('shares with roles and users read-only; a viewer outside a project gets no data of it', async () => {
    const tess = (await dashboard('tess')).body;
    const shared = await t.api('PUT', `/api/v1/dashboard/${tess.id}/sharing`, {
      token: tokens.tess,
      body: { users: ['otto'], roles: ['product_owner'] },
    });
    expect(shared.status).toBe(200);
    expect(shared.body.sharing).toEqual(
      expect.objectContaining({ users: ['otto'], roles: ['product_owner'] }),
    );
    // A QA engineer may not share (no dashboards:share).
    expect(
      (
        await t.api('PUT', `/api/v1/dashboard/${tess.id}/sharing`, {
          token: tokens.quinn,
          body: { users: [], roles: [] },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await t.api('PUT', `/api/v1/dashboard/${tess.id}/sharing`, {
          token: tokens.tess,
          body: { users: ['ghost'], roles: [] },
        })
      ).status,
    ).toBe(404);

    // pat (product owner, member of shop only): bank's figures are refused widget by widget.
    const pat = await dashboard('pat', `?dashboardId=${tess.id}`);
    expect(pat.status).toBe(200);
    expect(pat.body.editable).toBe(false);
    expect(pat.body.sharing.links).toEqual([]);
    for (const widget of pat.body.widgets as Widget[]) {
      expect(widget.error).toEqual({ status: 403, message: "you are not a member of project 'bank'" });
      expect(widget.data).toBeUndefined();
    }
    const listed = await t.api('GET', '/api/v1/dashboards', { token: tokens.pat });
    expect(listed.body).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: tess.id, owner: 'tess', access: 'shared' })]),
    );
    const change = await t.api('POST', '/api/v1/dashboard/widgets', {
      token: tokens.pat,
      body: { dashboardId: tess.id, remove: [tess.widgets[0].id] },
    });
    expect(change.status).toBe(403);
  });

  it('opens a dashboard through a share link without login until the link is revoked', async () => {
    const id = (await dashboard('tess')).body.id;
    const created = await t.api('POST', `/api/v1/dashboard/${id}/links`, { token: tokens.tess, body: {} });
    expect(created.status).toBe(201);
    const { token, id: linkId } = created.body;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const open = await apiB('GET', `/api/v1/dashboard/shared/${token}`, {});
    expect(open.status).toBe(200);
    expect(open.body.editable).toBe(false);
    expect(open.body.sharing).toEqual({ users: [], roles: [], links: [] });
    expect(widgetOf(open.body, 'kpi-tiles').data).toBeDefined();
    // Links are listed for the owner without their token.
    const owner = (await dashboard('tess')).body;
    expect(owner.sharing.links).toEqual([expect.objectContaining({ id: linkId, createdBy: 'tess' })]);
    expect(JSON.stringify(owner)).not.toContain(token);

    const revoked = await t.api('DELETE', `/api/v1/dashboard/${id}/links/${linkId}`, { token: tokens.tess });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const closed = await apiB('GET', `/api/v1/dashboard/shared/${token}`, {});
    expect(closed.status).toBe(404);
    expect((await t.api('GET', '/api/v1/dashboard/shared/short', {})).status).toBe(400);
    const forged = 'A'.repeat(43);
    expect((await t.api('GET', `/api/v1/dashboard/shared/${forged}`, {})).status).toBe(404);
  });

  it('pushes widget changes after an ingest to viewers on both gateways, as patches to the state a fresh read gives', async () => {
    const first = (await dashboard('quinn')).body;
    const id = first.id as string;
    const onA = await connect(t.fleet.gatewayUrl, tokens.quinn);
    const onB = await connect(second.gatewayUrl, tokens.quinn);
    const outsider = await connect(second.gatewayUrl, tokens.otto);
    expect(await join(onA.socket, `dashboard:${id}`)).toEqual(expect.objectContaining({ ok: true }));
    expect(await join(onB.socket, `dashboard:${id}`)).toEqual(expect.objectContaining({ ok: true }));
    const refused = await join(outsider.socket, `dashboard:${id}`);
    expect(refused).toEqual(expect.objectContaining({ ok: false, status: 403 }));
    // otto may open tess's dashboard (shared with him) but not watch it: it shows shop, not his.
    const tessId = (await dashboard('tess')).body.id;
    expect(await join(outsider.socket, `dashboard:${tessId}`)).toEqual(
      expect.objectContaining({ ok: false, status: 403, error: "you are not a member of project 'shop'" }),
    );

    // The state each client holds: what it read, then every update applied.
    const state = new Map<string, { version: string; data: unknown }>(
      (first.widgets as Widget[]).map((w) => [w.id, { version: w.version as string, data: w.data }]),
    );
    const apply = (updates: Update[], held: Map<string, { version: string; data: unknown }>) => {
      for (const update of updates) {
        const mine = held.get(update.widgetId);
        if (mine?.version === update.version) continue;
        if (update.data !== undefined)
          held.set(update.widgetId, { version: update.version, data: update.data });
        else if (mine && mine.version === update.base)
          held.set(update.widgetId, {
            version: update.version,
            data: applyPatch(structuredClone(mine.data), update.patch, true, false).newDocument,
          });
      }
    };

    const runId = await ingest('shop', 2);
    const expected = (await dashboard('quinn')).body;
    const versions = new Map<string, string>(
      (expected.widgets as Widget[]).map((w) => [w.id, w.version as string]),
    );
    const changed = (expected.widgets as Widget[]).filter((w) => w.version !== state.get(w.id)?.version);
    expect(changed.map((w) => w.type)).toEqual(
      expect.arrayContaining(['kpi-tiles', 'recent-runs', 'failure-clusters']),
    );
    for (const client of [onA, onB]) {
      await until(() =>
        changed.every((w) =>
          client.updates.some((u) => u.widgetId === w.id && u.version === versions.get(w.id)),
        ),
      ).catch((error: Error) => {
        const got = client.updates.map((u) => `${u.type} ${u.base}→${u.version} ${u.cause.event}`);
        const want = changed.map((w) => `${w.type} ${state.get(w.id)?.version}→${w.version}`);
        throw new Error(`${error.message}: wanted ${want.join(', ')}; got ${got.join(', ')}`);
      });
      const held = new Map(state);
      apply(client.updates, held);
      for (const widget of expected.widgets as Widget[]) {
        expect(held.get(widget.id)?.version).toBe(widget.version);
        expect(held.get(widget.id)?.data).toEqual(widget.data);
      }
      const cause = client.updates.find((u) => u.type === 'kpi-tiles')?.cause;
      expect(cause).toEqual({ project: 'shop', runId, event: 'finished' });
    }
    // A run of another project changes nothing on this dashboard.
    const seen = onA.updates.length;
    await ingest('bank', 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(onA.updates.length).toBe(seen);
    expect(outsider.updates).toEqual([]);
  });

  it('records the widgets users open as usage', async () => {
    // The gateway sends its counts every 5 s.
    let entries: Array<{ kind: string; params: { type?: string } }> = [];
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      const res = await t.api('GET', '/api/v1/preferences/quinn/most-used?limit=50', { token: tokens.quinn });
      entries = res.body;
      if (entries.some((e) => e.kind === 'dashboard.widgets')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const widgets = entries.filter((e) => e.kind === 'dashboard.widgets').map((e) => e.params.type);
    expect(widgets).toEqual(expect.arrayContaining(['kpi-tiles', 'recent-runs', 'flaky-tests']));

    // Cache warming computes the widgets users open most.
    expect(
      (await t.api('POST', '/api/v1/cache/invalidate', { token: admin, body: { project: 'shop' } })).status,
    ).toBe(200);
    const warm = await t.api('POST', '/api/v1/cache/warm', {
      token: admin,
      body: { project: 'shop', reports: false, limit: 100 },
    });
    expect(warm.status).toBe(200);
    const warmedWidgets = (warm.body.warmed as Array<{ kind: string; outcome: string }>).filter(
      (w) => w.kind === 'dashboard.widgets',
    );
    expect(warmedWidgets.length).toBeGreaterThanOrEqual(3);
    expect(warmedWidgets.every((w) => w.outcome === 'computed' || w.outcome === 'hit')).toBe(true);
    const after = (await dashboard('quinn')).body;
    for (const widget of after.widgets as Array<Widget & { ms: number }>) expect(widget.ms).toBe(0);
  });
});
