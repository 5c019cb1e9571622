/**
 * Real-time run updates over Socket.IO (`/dashboard` on the gateway) end to end, with real
 * processes and two gateway instances: the handshake checks the access token, joining a room is
 * allowed to members only, and clients on either gateway get every update of their rooms.
 */
import { ApiCall, Fleet, TestFleet, request, startTestFleet, waitUntil } from '@testpulse/testing';
import { sign } from 'jsonwebtoken';
import { Socket, io } from 'socket.io-client';

const prefix = `rt_${Date.now().toString(36)}`;
const HOUR = 3600_000;

interface RunUpdate {
  project: string;
  runId: string;
  status: string;
  summary: { tests: number; passed: number; failed: number };
}

/** A connected client of `/dashboard`, with every run update it receives. */
async function connect(baseUrl: string, token: string | undefined) {
  const socket = io(`${baseUrl}/dashboard`, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const updates: Array<{ kind: string; update: RunUpdate }> = [];
  for (const kind of ['run.started', 'run.progress', 'run.finished'])
    socket.on(kind, (update: RunUpdate) => updates.push({ kind, update }));
  const error = await new Promise<string | undefined>((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (err: Error) => resolve(err.message));
  });
  return { socket, updates, error };
}

const join = (socket: Socket, room: string) =>
  socket.timeout(5000).emitWithAck('join', { room }) as Promise<{
    ok: boolean;
    status?: number;
    error?: string;
  }>;

const until = (check: () => boolean, ms = 10_000) => waitUntil(check, ms);

describe('real-time run updates', () => {
  let t: TestFleet;
  let second: Fleet;
  let apiB: ApiCall;
  let admin: string;
  let qa: string;
  let outsider: string;
  const sockets: Socket[] = [];
  let runs = 0;

  const ingest = async (project: string, tests = 3) => {
    const res = await t.api('POST', '/api/v1/executions', {
      token: admin,
      body: {
        project,
        runId: `run-${++runs}`,
        branch: 'main',
        startedAt: new Date(Date.now() - HOUR).toISOString(),
        results: Array.from({ length: tests }, (_, i) => ({
          suite: 'cart',
          name: `t${i}`,
          status: i === 0 ? 'failed' : 'passed',
          durationMs: 10,
        })),
      },
    });
    expect(res.status).toBe(201);
    return `run-${runs}`;
  };
  const client = async (baseUrl: string, token: string | undefined) => {
    const c = await connect(baseUrl, token);
    sockets.push(c.socket);
    return c;
  };

  beforeAll(async () => {
    t = await startTestFleet(prefix);
    admin = t.adminToken;
    second = await Fleet.start({ logDir: `${t.fleet.logFile('gateway')}.b`, env: t.env, apps: ['gateway'] });
    apiB = (method, path, options) => request(second.gatewayUrl, method, path, options);
    for (const key of ['shop', 'bank']) {
      const res = await t.api('POST', '/api/v1/projects', { token: admin, body: { key, name: key } });
      expect(res.status).toBe(201);
    }
    for (const [username, project] of [
      ['quinn', 'shop'],
      ['otto', 'bank'],
    ]) {
      const created = await t.api('POST', '/api/v1/users', {
        token: admin,
        body: { username, password: `${username}-password-1`, role: 'qa_engineer' },
      });
      expect(created.status).toBe(201);
      expect(
        (await t.api('PUT', `/api/v1/projects/${project}/members/${username}`, { token: admin })).status,
      ).toBeLessThan(300);
    }
    qa = await t.login('quinn', 'quinn-password-1');
    outsider = await t.login('otto', 'otto-password-1');
    expect((await apiB('GET', '/api/v1/health', {})).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await second?.stop();
    await t?.fleet.stop();
  });

  it('refuses a handshake without a valid, unexpired access token', async () => {
    expect((await client(t.fleet.gatewayUrl, undefined)).error).toBe('missing bearer token');
    expect((await client(t.fleet.gatewayUrl, 'not-a-token')).error).toBe('invalid access token');
    const forged = sign({ sub: 'quinn', role: 'admin', typ: 'access' }, 'another-secret-0123456789abcdef', {
      issuer: 'testpulse',
      audience: 'testpulse-api',
      expiresIn: 600,
    });
    expect((await client(t.fleet.gatewayUrl, forged)).error).toBe('invalid access token');
    const expired = sign(
      { sub: 'quinn', role: 'qa_engineer', typ: 'access', exp: Math.floor(Date.now() / 1000) - 10 },
      t.env.JWT_SECRET,
      { issuer: 'testpulse', audience: 'testpulse-api' },
    );
    expect((await client(t.fleet.gatewayUrl, expired)).error).toBe('access token expired');
  });

  it('delivers a run of a project to its members on both gateways, and nothing to others', async () => {
    const onA = await client(t.fleet.gatewayUrl, qa);
    const onB = await client(second.gatewayUrl, qa);
    const other = await client(second.gatewayUrl, outsider);
    for (const c of [onA, onB, other]) expect(c.error).toBeUndefined();
    expect(await join(onA.socket, 'project:shop')).toEqual({ ok: true, room: 'project:shop' });
    expect(await join(onB.socket, 'project:shop')).toEqual({ ok: true, room: 'project:shop' });
    expect(await join(other.socket, 'project:shop')).toEqual({
      ok: false,
      status: 403,
      error: "you are not a member of project 'shop'",
    });
    expect(await join(other.socket, 'project:nope')).toEqual(
      expect.objectContaining({ ok: false, status: 404 }),
    );
    expect(await join(other.socket, 'everything')).toEqual(
      expect.objectContaining({ ok: false, status: 400 }),
    );

    const runId = await ingest('shop', 5);
    for (const c of [onA, onB]) {
      await until(() => c.updates.some((u) => u.kind === 'run.finished'));
      const finished = c.updates.find((u) => u.kind === 'run.finished')?.update;
      expect(finished).toEqual(
        expect.objectContaining({
          project: 'shop',
          runId,
          status: 'finished',
          summary: expect.objectContaining({ tests: 5, passed: 4, failed: 1 }),
        }),
      );
      // exactly one finished update per client, whichever gateway it is on
      expect(c.updates.filter((u) => u.kind === 'run.finished')).toHaveLength(1);
    }
    // a run of another project reaches nobody here; the outsider got nothing of shop
    await ingest('bank', 2);
    // (the bank run is finished once its upload is answered; its events went out before)
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(other.updates).toEqual([]);
    expect(new Set(onA.updates.map((u) => u.update.project))).toEqual(new Set(['shop']));
  });

  it('shows a streamed run progressing as batches land, ending with its final state', async () => {
    const watcher = await client(second.gatewayUrl, qa);
    const runId = 'live-1';
    expect(await join(watcher.socket, `run:shop:${runId}`)).toEqual({ ok: true, room: `run:shop:${runId}` });
    const opened = await t.api('POST', '/api/v1/executions', {
      token: admin,
      body: {
        project: 'shop',
        runId,
        branch: 'main',
        status: 'running',
        startedAt: new Date().toISOString(),
      },
    });
    expect(opened.status).toBe(201);
    for (let batch = 0; batch < 3; batch++) {
      const res = await t.api('POST', `/api/v1/executions/${runId}/results`, {
        token: admin,
        body: {
          project: 'shop',
          batch,
          results: [{ suite: 'live', name: `b${batch}`, status: 'passed', durationMs: 5 }],
        },
      });
      expect(res.status).toBeLessThan(300);
    }
    const finished = await t.api('POST', `/api/v1/executions/${runId}/finish`, {
      token: admin,
      body: { project: 'shop', finishedAt: new Date().toISOString() },
    });
    expect(finished.status).toBeLessThan(300);
    await until(() => watcher.updates.some((u) => u.kind === 'run.finished'));
    const kinds = watcher.updates.map((u) => u.kind);
    expect(kinds[0]).toBe('run.started');
    expect(kinds).toContain('run.progress');
    expect(kinds[kinds.length - 1]).toBe('run.finished');
    expect(watcher.updates[watcher.updates.length - 1].update.summary.tests).toBe(3);
    // progress never goes back
    const counts = watcher.updates.map((u) => u.update.summary.tests);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('takes a client out of a project room within seconds of its user leaving the project', async () => {
    const watcher = await client(t.fleet.gatewayUrl, qa);
    const left: Array<{ room: string; status: number }> = [];
    watcher.socket.on('room.left', (event: { room: string; status: number }) => left.push(event));
    expect(await join(watcher.socket, 'project:shop')).toEqual({ ok: true, room: 'project:shop' });
    const removed = await t.api('DELETE', '/api/v1/projects/shop/members/quinn', { token: admin });
    expect(removed.status).toBeLessThan(300);
    // Memberships of joined rooms are checked again every 10 s.
    await until(() => left.length > 0, 15_000);
    expect(left).toEqual([expect.objectContaining({ room: 'project:shop', status: 403 })]);
    await ingest('shop', 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(watcher.updates).toEqual([]);
  }, 30_000);
});
