// Real-time benchmark (npm run bench:realtime): a fleet of its own with two gateway instances and a
// small demo history, BENCH_CLIENTS Socket.IO clients (default 200) spread over both gateways, each
// watching its user's dashboard (room dashboard:<id>) and the demo projects' runs (project:<key>),
// while runs are ingested in bursts (BENCH_BURSTS bursts of one run per project, sent together,
// alternately through either gateway, BENCH_PAUSE_MS apart).
//
// It prints, measured in this one run:
// - run updates: the delay from a run's ingest acknowledgement (its POST's answer) to each client's
//   receipt of `run.finished` for it, p50/p95/p99 (an event can arrive before the answer: then 0,
//   and counted);
// - widget updates: per client and burst, the delay from the burst's last acknowledgement to the
//   receipt of the last `widget.update` caused by that burst (the dashboard is then up to date),
//   p50/p95/p99, per widget type, and each burst's slowest client;
// - the final state: after the last burst, every client's widgets (its first read with every patch
//   applied) are compared with a fresh read of its dashboard; and every client must have had every
//   run's `run.finished`.
//
// Environment: BENCH_CLIENTS (200), BENCH_BURSTS (10), BENCH_PAUSE_MS (2000), BENCH_TESTS (200 tests
// per run), BENCH_DEMO_DAYS (7), BENCH_DEMO_SCALE (0.25), BENCH_LOG_LEVEL (warn; logs in
// .data/bench/<prefix>/).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import {
  cpuDelta,
  cpuReading,
  cpuSeconds,
  fmt,
  loadBuilt,
  positive as positiveOf,
  quantile,
  sleep,
  withBenchFleet,
} from './lib/infra.mjs';
import { call as callApi } from './lib/http.mjs';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../scripts/seed-demo.mjs';

const require = createRequire(import.meta.url);
const { io } = require('socket.io-client');
const { applyPatch } = require('fast-json-patch');

const NAME = 'bench:realtime';
const built = loadBuilt(NAME, { testing: ['libs', 'testing', 'src', 'index.js'] });
const { uniqueDbPrefix } = built.testing;

const positive = (name, fallback) => positiveOf(NAME, name, fallback);
const CLIENTS = Math.round(positive('BENCH_CLIENTS', 200));
const BURSTS = Math.round(positive('BENCH_BURSTS', 10));
const PAUSE_MS = positive('BENCH_PAUSE_MS', 2000);
const TESTS = Math.round(positive('BENCH_TESTS', 200));
const DEMO_DAYS = Math.round(positive('BENCH_DEMO_DAYS', 7));
const DEMO_SCALE = positive('BENCH_DEMO_SCALE', 0.25);
const TARGET_P95_MS = 200;
/** After the last burst, the updates are over once nothing arrived for this long. */
const QUIET_MS = 2000;

const log = (line) => console.log(`${NAME}: ${line}`);
/** The answer's body of a request that must succeed. */
const call = async (...args) => (await callApi(...args)).body;

const ADMIN = { username: 'bench-admin', password: randomBytes(12).toString('hex') };

/** A connected client: its user, the widgets it holds, and when each update arrived. */
async function connectClient(index, base, user, dashboard, projects) {
  const socket = io(`${base}/dashboard`, {
    auth: { token: user.token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const client = {
    index,
    user,
    socket,
    // Each client's own copy, patched in place: a real client holds its widgets alone, and copying
    // them on every update (twice: structuredClone, then fast-json-patch's own clone) made this
    // process, which plays 200 clients on the fleet's own cores, a load of its own on the measure.
    widgets: new Map(
      dashboard.widgets.map((w) => [w.id, { version: w.version, data: structuredClone(w.data) }]),
    ),
    finished: new Map(),
    widgetUpdates: [],
    mismatches: 0,
  };
  socket.on('run.finished', (event) => {
    if (!client.finished.has(event.runId)) client.finished.set(event.runId, performance.now());
  });
  socket.on('widget.update', (update) => {
    client.widgetUpdates.push({ at: performance.now(), runId: update.cause.runId, type: update.type });
    const held = client.widgets.get(update.widgetId);
    if (held?.version === update.version) return;
    if (update.data !== undefined)
      client.widgets.set(update.widgetId, { version: update.version, data: update.data });
    else if (held && held.version === update.base)
      client.widgets.set(update.widgetId, {
        version: update.version,
        data: applyPatch(held.data, update.patch, true, true).newDocument,
      });
    else client.mismatches += 1;
  });
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  for (const room of [`dashboard:${dashboard.id}`, ...projects.map((p) => `project:${p}`)]) {
    const ack = await socket.timeout(10_000).emitWithAck('join', { room });
    if (!ack.ok) throw new Error(`client ${index}: join ${room} refused: ${ack.status} ${ack.error}`);
  }
  return client;
}

/** A run of `project` with `TESTS` results, a few of them failing differently each burst. */
function runOf(project, burst) {
  const failing = 1 + (burst % 4);
  return {
    project,
    runId: `rt-${burst}-${project}-${randomBytes(3).toString('hex')}`,
    branch: 'main',
    startedAt: new Date(Date.now() - 60_000).toISOString(),
    results: Array.from({ length: TESTS }, (_, i) => ({
      suite: `suite-${i % 10}`,
      name: `live test ${i}`,
      status: i < failing ? 'failed' : 'passed',
      durationMs: 5 + ((i * 37 + burst * 11) % 400),
      ...(i < failing ? { error: { message: `assertion ${i} failed in burst ${burst}` } } : {}),
    })),
  };
}

const ms = (v) => `${fmt(v, v < 10 ? 1 : 0)} ms`;
const dist = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
  };
};

async function main() {
  const prefix = uniqueDbPrefix('benchrt');
  return withBenchFleet({ prefix, admin: ADMIN, log }, async ({ fleet, mongo, redis, addGateway }) => {
    const second = await addGateway();
    const clients = [];
    try {
      return await measure({ fleet, second, mongo, redis, clients });
    } finally {
      for (const client of clients) client.socket.disconnect();
    }
  });
}

/** Seeds, connects the clients, ingests the bursts and prints the figures; true when all arrived. */
async function measure({ fleet, second, mongo, redis, clients }) {
  const gateways = [fleet.gatewayUrl, second.gatewayUrl];
  log(
    `fleet ready with gateways ${gateways.join(' and ')}; seeding ${DEMO_DAYS} days of demo history (scale ${DEMO_SCALE})`,
  );
  const seeding = await seedDemo({
    server: gateways[0],
    username: ADMIN.username,
    password: ADMIN.password,
    days: DEMO_DAYS,
    scale: DEMO_SCALE,
    log: (line) => log(`seed: ${line}`),
  });
  if (seeding.failed > 0) throw new Error(`seeding failed: ${seeding.errors.join('; ')}`);

  const admin = (await call(gateways[0], undefined, 'POST', '/auth/login', ADMIN, [200])).accessToken;
  const projects = (await call(gateways[0], admin, 'GET', '/projects?pageSize=100')).items.map((p) => p.key);
  const users = [];
  for (const demo of DEMO_USERS) {
    const login = await call(
      gateways[0],
      undefined,
      'POST',
      '/auth/login',
      { username: demo.username, password: DEMO_PASSWORD },
      [200],
    );
    const dashboard = await call(gateways[0], login.accessToken, 'GET', `/dashboard/${demo.username}`);
    const failed = dashboard.widgets.filter((w) => w.error);
    if (failed.length)
      throw new Error(
        `${demo.username}: widgets failed: ${failed.map((w) => `${w.type} ${w.error.message}`).join('; ')}`,
      );
    users.push({ ...demo, token: login.accessToken, dashboard });
  }
  log(
    `${users.length} users' dashboards (${users.map((u) => `${u.role} ${u.dashboard.widgets.length} widgets`).join(', ')}); connecting ${CLIENTS} clients`,
  );
  for (let i = 0; i < CLIENTS; i += 20) {
    const batch = [];
    for (let j = i; j < Math.min(CLIENTS, i + 20); j++) {
      const user = users[j % users.length];
      batch.push(connectClient(j, gateways[j % 2], user, user.dashboard, projects));
    }
    clients.push(...(await Promise.all(batch)));
  }
  log(
    `${clients.length} clients connected (${Math.ceil(CLIENTS / 2)} + ${Math.floor(CLIENTS / 2)}); ${BURSTS} bursts of ${projects.length} runs of ${TESTS} tests`,
  );

  const acks = new Map();
  const bursts = [];
  const cpuNow = () => cpuReading(fleet, mongo, redis).set('gateway-b', cpuSeconds(second.pid('gateway')));
  const cpuBefore = cpuNow();
  const startedAt = Date.now();
  for (let burst = 0; burst < BURSTS; burst++) {
    const runs = projects.map((project) => runOf(project, burst));
    await Promise.all(
      runs.map(async (run, i) => {
        await call(gateways[(burst + i) % 2], admin, 'POST', '/executions', run, [201]);
        acks.set(run.runId, performance.now());
      }),
    );
    bursts.push({
      runIds: runs.map((r) => r.runId),
      lastAck: Math.max(...runs.map((r) => acks.get(r.runId))),
    });
    await sleep(PAUSE_MS);
  }
  // Quiet: nothing arrived for QUIET_MS.
  const lastArrival = () =>
    Math.max(
      0,
      ...clients.map((c) => c.widgetUpdates.at(-1)?.at ?? 0),
      ...clients.flatMap((c) => [...c.finished.values()]),
    );
  while (performance.now() - lastArrival() < QUIET_MS) await sleep(200);
  const cpu = cpuDelta(cpuBefore, cpuNow());
  const seconds = (Date.now() - startedAt) / 1000;

  // Run updates: ack → run.finished, per client and run.
  const runDelays = [];
  let early = 0;
  let missingRuns = 0;
  for (const client of clients)
    for (const [runId, ack] of acks) {
      const at = client.finished.get(runId);
      if (at === undefined) missingRuns += 1;
      else {
        if (at < ack) early += 1;
        runDelays.push(Math.max(0, at - ack));
      }
    }
  // Widget updates: a burst's last ack → the last update caused by that burst, per client.
  const widgetDelays = [];
  for (const client of clients)
    for (const burst of bursts) {
      const ids = new Set(burst.runIds);
      const caused = client.widgetUpdates.filter((u) => ids.has(u.runId));
      if (caused.length) widgetDelays.push(Math.max(0, Math.max(...caused.map((u) => u.at)) - burst.lastAck));
    }
  // Per burst, the slowest client: whether the tail is a few bursts or all of them.
  const slowestPerBurst = bursts.map((burst) => {
    const ids = new Set(burst.runIds);
    let slowest = 0;
    for (const client of clients)
      for (const u of client.widgetUpdates)
        if (ids.has(u.runId)) slowest = Math.max(slowest, u.at - burst.lastAck);
    return slowest;
  });
  // The same per widget type: which widgets take longest to recompute.
  const byType = new Map();
  for (const client of clients)
    for (const burst of bursts) {
      const ids = new Set(burst.runIds);
      const last = new Map();
      for (const u of client.widgetUpdates)
        if (ids.has(u.runId)) last.set(u.type, Math.max(last.get(u.type) ?? 0, u.at));
      for (const [type, at] of last) {
        if (!byType.has(type)) byType.set(type, []);
        byType.get(type).push(Math.max(0, at - burst.lastAck));
      }
    }
  // Final state: each client against a fresh read of its user's dashboard.
  const fresh = new Map();
  for (const user of users)
    fresh.set(user.username, await call(gateways[0], user.token, 'GET', `/dashboard/${user.username}`));
  let matching = 0;
  const differing = [];
  for (const client of clients) {
    const expected = fresh.get(client.user.username);
    const same = expected.widgets.every((w) => {
      const held = client.widgets.get(w.id);
      return held?.version === w.version && isDeepStrictEqual(held.data, w.data);
    });
    if (same) matching += 1;
    else {
      differing.push(client.index);
      if (process.env.BENCH_DEBUG && differing.length === 1)
        for (const w of expected.widgets) {
          const held = client.widgets.get(w.id);
          if (held?.version !== w.version || !isDeepStrictEqual(held.data, w.data))
            log(
              `client ${client.index} ${w.type}: holds ${held?.version} ${JSON.stringify(held?.data).slice(0, 1500)}\n  fresh ${w.version} ${JSON.stringify(w.data).slice(0, 1500)}`,
            );
        }
    }
  }

  const run = dist(runDelays);
  const widget = dist(widgetDelays);
  const totalUpdates = clients.reduce((n, c) => n + c.widgetUpdates.length, 0);
  const mismatches = clients.reduce((n, c) => n + c.mismatches, 0);
  const row = (label, d) =>
    `    ${label.padEnd(30)} n ${fmt(d.n).padStart(6)}   p50 ${ms(d.p50).padStart(8)}   p95 ${ms(d.p95).padStart(8)}   p99 ${ms(d.p99).padStart(8)}   max ${ms(d.max).padStart(8)}`;
  const lines = [
    '',
    `${NAME}: ${clients.length} clients over 2 gateways, ${users.length} users' dashboards, ${BURSTS} bursts × ${projects.length} runs × ${TESTS} tests in ${fmt(seconds, 1)} s`,
    row('run.finished (ack → receipt)', run),
    `      ${fmt(early)} of them arrived before the POST's answer (counted as 0 ms); ${fmt(missingRuns)} never arrived`,
    row('widget.update (burst → last)', widget),
    `      per burst, the slowest client: ${slowestPerBurst.map((value) => ms(value)).join(', ')}`,
    ...[...byType].sort().map(([type, values]) => row(`  ${type}`, dist(values))),
    `      ${fmt(totalUpdates)} widget updates received, ${fmt(totalUpdates / clients.length, 1)} per client; ${fmt(mismatches)} could not be applied (base unknown to the client)`,
    `    final state: ${matching}/${clients.length} clients hold exactly what a fresh read gives${differing.length ? ` (differing: ${differing.slice(0, 10).join(', ')})` : ''}`,
    `    CPU seconds: ${cpu.map(([name, s]) => `${name} ${fmt(s, 1)}`).join(', ')}`,
    `    target p95 < ${TARGET_P95_MS} ms: run updates ${run.p95 < TARGET_P95_MS ? 'met' : 'NOT met'} (${ms(run.p95)}), widget updates ${widget.p95 < TARGET_P95_MS ? 'met' : 'NOT met'} (${ms(widget.p95)})`,
    '',
  ];
  console.log(lines.join('\n'));
  return missingRuns === 0 && matching === clients.length;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error) => {
    console.error(`${NAME}: ${error.stack ?? error}`);
    process.exit(1);
  },
);
