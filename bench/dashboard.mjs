// Dashboard benchmark (npm run bench:dashboard): a fleet of its own with BENCH_RESULTS results stored
// (default 1,000,000: the demo history over BENCH_DAYS days, its catalogue scaled to hold them), then
// BENCH_USERS users (default 50, bench-u01…, roles rotating over QA engineer, test manager,
// development lead and product owner, each a member of every demo project) load their default
// dashboard (GET /dashboard/{username}: every widget's data in one answer) through the gateway.
//
// - Cold: BENCH_COLD_ROUNDS rounds; each makes every cached entry unreachable (POST /cache/invalidate
//   {}), waits a moment, then all users load their dashboard at the same instant. The first round
//   also creates the dashboards (from each role's template, on first read): it is printed alone too.
//   Each round's line gives its latencies and the CPU seconds each process used during it.
// - Warm: for BENCH_WARM_SECONDS every user loads their dashboard again and again, thinking
//   0–2×BENCH_THINK_MS between loads. Nothing is ingested meanwhile.
//
// It prints the load latencies (p50/p95/p99) of both phases against the targets (p95 under 1 s cold,
// under 150 ms warm), the loads per second, failed requests, widgets answered with an error, the
// cache's hit ratio (GET /cache/stats) and the CPU seconds of each process per phase. It exits 1 when
// a request failed (an answer other than 200, or none), else 0.
//
// Environment: BENCH_RESULTS (1000000), BENCH_DAYS (30), BENCH_USERS (50), BENCH_COLD_ROUNDS (5),
// BENCH_WARM_SECONDS (30), BENCH_THINK_MS (500), BENCH_SEED_CONCURRENCY (3: runs in flight while
// seeding, one per demo project; FerretDB must be the patched one scripts/infra/install-ferretdb.sh
// builds, see scripts/seed-demo.mjs), BENCH_MONGO_URL / BENCH_REDIS_URL (default: private servers),
// BENCH_LOG_LEVEL (warn; logs in .data/bench/<prefix>/), BENCH_CPU_PROFILE (a folder: each app writes
// a V8 CPU profile there when it stops).
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import {
  cpuDelta,
  cpuReading,
  fmt,
  loadBuilt,
  positive as positiveOf,
  quantile,
  sleep,
  withBenchFleet,
} from './lib/infra.mjs';
import { call, send } from './lib/http.mjs';
import { seedDemo } from '../scripts/seed-demo.mjs';

const NAME = 'bench:dashboard';
const built = loadBuilt(NAME, {
  testing: ['libs', 'testing', 'src', 'index.js'],
  demo: ['libs', 'demo-data', 'src', 'index.js'],
});
const { uniqueDbPrefix } = built.testing;
const { generateHistory, mulberry32 } = built.demo;

const positive = (name, fallback) => positiveOf(NAME, name, fallback);
const RESULTS = Math.round(positive('BENCH_RESULTS', 1_000_000));
const DAYS = Math.round(positive('BENCH_DAYS', 30));
const USERS = Math.round(positive('BENCH_USERS', 50));
const COLD_ROUNDS = Math.round(positive('BENCH_COLD_ROUNDS', 5));
const WARM_SECONDS = positive('BENCH_WARM_SECONDS', 30);
const THINK_MS = positive('BENCH_THINK_MS', 500);
const SEED_CONCURRENCY = Math.round(positive('BENCH_SEED_CONCURRENCY', 3));
/** The seed of the demo history (seedDemo's default): the scale is picked on the very history it sends. */
const DEMO_SEED = 1;
const ROLES = ['qa_engineer', 'test_manager', 'dev_lead', 'product_owner'];
/** After an invalidation, before a cold round: every instance has heard of it. */
const INVALIDATE_WAIT_MS = 300;
const TARGET_COLD_P95_MS = 1000;
const TARGET_WARM_P95_MS = 150;

const log = (line) => console.log(`${NAME}: ${line}`);
const ADMIN = { username: 'bench-admin', password: randomBytes(12).toString('hex') };
const USER_PASSWORD = randomBytes(12).toString('hex');

const login = async (base, credentials) =>
  (await call(base, undefined, 'POST', '/auth/login', credentials, [200])).body.accessToken;

// --- the data -----------------------------------------------------------------------------------------

/** Results the demo history plans over DAYS days at `scale` (cheap: no run is built). */
function plannedResults(scale, endDate) {
  let results = 0;
  let runs = 0;
  for (const plan of generateHistory({ seed: DEMO_SEED, days: DAYS, scale, endDate }).plan()) {
    results += plan.tests;
    runs += 1;
  }
  return { results, runs };
}

/**
 * The catalogue scale whose history holds about `target` results over DAYS days: the results grow
 * about linearly with the scale, so the count at scale 1 gives a first guess and the count at that
 * guess a correction.
 */
function scaleFor(target, endDate) {
  let scale = target / plannedResults(1, endDate).results;
  scale *= target / plannedResults(scale, endDate).results;
  scale = Number(scale.toPrecision(4));
  return { scale, ...plannedResults(scale, endDate) };
}

/**
 * Waits (at most `limitSeconds`) until the fleet and its servers use under a tenth of a core over
 * 2 s: the seeding's last finalisations and maintenance jobs are over before anything is timed.
 */
async function settle(fleet, mongo, redis, limitSeconds = 120) {
  const started = Date.now();
  for (;;) {
    const before = cpuReading(fleet, mongo, redis);
    await sleep(2000);
    const after = cpuReading(fleet, mongo, redis);
    let busy = 0;
    for (const [name, value] of after)
      if (name !== 'benchmark client') busy += Math.max(0, value - (before.get(name) ?? value));
    if (busy < 0.2 || Date.now() - started > limitSeconds * 1000) {
      log(
        `settled after ${fmt((Date.now() - started) / 1000, 1)} s (fleet and servers: ${fmt(busy / 2, 2)} cores busy)`,
      );
      return;
    }
  }
}

/** The cache's counters summed over every instance (from GET /cache/stats). */
async function cacheTotals(base, token) {
  return (await call(base, token, 'GET', '/cache/stats')).body.totals;
}

/** Counters between two readings, overall and of the widgets' namespace (computations, coalesced). */
function cacheDelta(before, after) {
  const minus = (a = {}, b = {}) =>
    Object.fromEntries(
      ['hits', 'misses', 'computations', 'coalesced', 'errors'].map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]),
    );
  return {
    overall: minus(after.overall, before.overall),
    widgets: minus(after.namespaces['dashboard.widgets'], before.namespaces['dashboard.widgets']),
  };
}

// --- the workload -------------------------------------------------------------------------------------

/** One dashboard load, classified: ok or not, its time, its widgets (and those with an error). */
async function load(base, user) {
  try {
    const res = await send(base, user.token, 'GET', `/dashboard/${encodeURIComponent(user.username)}`);
    if (res.status !== 200)
      return {
        ok: false,
        ms: res.ms,
        error: `${user.username}: GET /dashboard → ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`,
      };
    const widgets = Array.isArray(res.body?.widgets) ? res.body.widgets : [];
    return {
      ok: true,
      ms: res.ms,
      role: user.role,
      widgets: widgets.length,
      widgetErrors: widgets
        .filter((w) => w.error)
        .map((w) => `${w.type}: ${w.error.status} ${w.error.message}`),
      // Time each widget's data took dashboard-orchestration (0 when cached).
      widgetMs: widgets.filter((w) => !w.error && typeof w.ms === 'number').map((w) => [w.type, w.ms]),
    };
  } catch (error) {
    return { ok: false, ms: NaN, error: `${user.username}: GET /dashboard: ${error.message}` };
  }
}

/** Cold rounds: invalidate everything, then every user loads their dashboard at the same instant. */
async function coldPhase(base, adminToken, users, cpuNow) {
  const rounds = [];
  for (let round = 1; round <= COLD_ROUNDS; round++) {
    await call(base, adminToken, 'POST', '/cache/invalidate', {}, [200]);
    await sleep(INVALIDATE_WAIT_MS);
    const cpuBefore = cpuNow();
    const started = performance.now();
    const loads = await Promise.all(users.map((user) => load(base, user)));
    const ms = loads.filter((l) => l.ok).map((l) => l.ms);
    const cpu = cpuDelta(cpuBefore, cpuNow(), 0.05);
    log(
      `cold round ${round}/${COLD_ROUNDS}: ${users.length} loads in ${fmt(performance.now() - started)} ms, ` +
        `p50 ${msOf(quantile(sorted(ms), 0.5))}, p95 ${msOf(quantile(sorted(ms), 0.95))}, ` +
        `${loads.filter((l) => !l.ok).length} failed; CPU s ${cpu.map(([name, used]) => `${name} ${fmt(used, 2)}`).join(', ')}`,
    );
    rounds.push(loads);
  }
  return rounds;
}

/** Warm: every user loads their dashboard, thinks 0–2×THINK_MS, and again, until `end` (ms). */
async function warmPhase(base, users, random, end) {
  const loads = [];
  // A think time is cut short at the end, so that the phase lasts what it is said to.
  const think = () => sleep(Math.max(0, Math.min(random() * 2 * THINK_MS, end - Date.now())));
  const user = async (u) => {
    await think(); // users do not all start at once
    while (Date.now() < end) {
      loads.push(await load(base, u));
      await think();
    }
  };
  await Promise.all(users.map(user));
  return loads;
}

// --- main ---------------------------------------------------------------------------------------------

async function main() {
  const prefix = uniqueDbPrefix('benchdash');
  const endDate = new Date();
  const plan = scaleFor(RESULTS, endDate);
  log(
    `${fmt(RESULTS)} results over ${DAYS} days: demo scale ${plan.scale} plans ${fmt(plan.runs)} runs, ` +
      `${fmt(plan.results)} results`,
  );
  return withBenchFleet(
    { prefix, admin: ADMIN, log, env: { JWT_ACCESS_TTL_SECONDS: String(6 * 3600) } },
    async ({ fleet, mongo, redis }) => {
      const base = fleet.gatewayUrl;
      log(`fleet ready; seeding ${fmt(plan.results)} results, ${SEED_CONCURRENCY} runs in flight`);
      const seedCpuBefore = cpuReading(fleet, mongo, redis);
      const seeding = await seedDemo({
        server: base,
        username: ADMIN.username,
        password: ADMIN.password,
        seed: DEMO_SEED,
        days: DAYS,
        scale: plan.scale,
        endDate,
        concurrency: SEED_CONCURRENCY,
        log: (line) => log(`seed: ${line}`),
      });
      if (seeding.failed > 0) throw new Error(`seeding failed: ${seeding.errors.join('; ')}`);
      const seedCpu = cpuDelta(seedCpuBefore, cpuReading(fleet, mongo, redis));
      await settle(fleet, mongo, redis);

      // The users: roles in turn, each a member of every demo project.
      const adminToken = await login(base, ADMIN);
      const projects = generateHistory({ seed: DEMO_SEED, days: 1, scale: 0.1, endDate }).projects.map(
        (p) => p.key,
      );
      const users = [];
      for (let i = 0; i < USERS; i++) {
        const username = `bench-u${String(i + 1).padStart(2, '0')}`;
        const role = ROLES[i % ROLES.length];
        await call(base, adminToken, 'POST', '/users', { username, password: USER_PASSWORD, role }, [201]);
        for (const project of projects)
          await call(base, adminToken, 'PUT', `/projects/${project}/members/${username}`, undefined);
        users.push({ username, role, token: await login(base, { username, password: USER_PASSWORD }) });
      }
      log(`${USERS} users (${ROLES.join(', ')} in turn), members of ${projects.join(', ')}`);

      log(
        `cold: ${COLD_ROUNDS} rounds of ${USERS} loads at once, every cached entry invalidated before each`,
      );
      const coldStats = await cacheTotals(base, adminToken);
      const coldCpuBefore = cpuReading(fleet, mongo, redis);
      const coldStarted = Date.now();
      const rounds = await coldPhase(base, adminToken, users, () => cpuReading(fleet, mongo, redis));
      const coldSeconds = (Date.now() - coldStarted) / 1000;
      const coldCpu = cpuDelta(coldCpuBefore, cpuReading(fleet, mongo, redis));
      const coldCache = cacheDelta(coldStats, await cacheTotals(base, adminToken));

      log(`warm: ${USERS} users for ${WARM_SECONDS} s, thinking 0–${fmt(2 * THINK_MS)} ms between loads`);
      // Seeded, so that the think times are the same from run to run.
      const random = mulberry32(11);
      const warmStats = await cacheTotals(base, adminToken);
      const warmCpuBefore = cpuReading(fleet, mongo, redis);
      const warmStarted = Date.now();
      const end = warmStarted + WARM_SECONDS * 1000;
      const warm = await warmPhase(base, users, random, end);
      const warmSeconds = (Date.now() - warmStarted) / 1000;
      const warmCpu = cpuDelta(warmCpuBefore, cpuReading(fleet, mongo, redis));
      await sleep(500);
      const warmCache = cacheDelta(warmStats, await cacheTotals(base, adminToken));

      const failed = report({
        seeding,
        plan,
        seedCpu,
        rounds,
        coldSeconds,
        coldCpu,
        coldCache,
        warm,
        warmSeconds,
        warmCpu,
        warmCache,
      });
      return failed === 0;
    },
  );
}

// --- the figures --------------------------------------------------------------------------------------

const sorted = (list) => [...list].sort((a, b) => a - b);
const pct = (value) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : 'n/a');
const msOf = (value) => (Number.isFinite(value) ? `${fmt(value, value < 10 ? 1 : 0)} ms` : 'n/a');
const hitRatio = ({ hits, misses }) => (hits + misses > 0 ? hits / (hits + misses) : NaN);

function latencies(loads) {
  const ms = sorted(loads.filter((l) => l.ok).map((l) => l.ms));
  return {
    n: ms.length,
    p50: quantile(ms, 0.5),
    p95: quantile(ms, 0.95),
    p99: quantile(ms, 0.99),
    max: ms.length ? ms[ms.length - 1] : NaN,
  };
}

function row(label, loads) {
  const l = latencies(loads);
  return (
    `    ${label.padEnd(28)} ${fmt(l.n).padStart(6)}   p50 ${msOf(l.p50).padStart(9)}   ` +
    `p95 ${msOf(l.p95).padStart(9)}   p99 ${msOf(l.p99).padStart(9)}   max ${msOf(l.max).padStart(9)}`
  );
}

/** Per widget type, the time its data took dashboard-orchestration when computed (not cached). */
function widgetTimes(loads) {
  const byType = new Map();
  for (const l of loads)
    for (const [type, ms] of l.widgetMs ?? [])
      if (ms > 0) byType.set(type, [...(byType.get(type) ?? []), ms]);
  return [...byType]
    .map(([type, list]) => {
      const ms = sorted(list);
      return `${type} ${msOf(quantile(ms, 0.5))} / ${msOf(quantile(ms, 0.95))} (${ms.length})`;
    })
    .join(', ');
}

/** The widgets' namespace: reads, hit ratio, computations and reads that waited for one. */
function widgetCache(label, c) {
  return (
    `${label} ${fmt(c.hits + c.misses)} reads, ${pct(hitRatio(c))} hits, ${fmt(c.computations)} computed, ` +
    `${fmt(c.coalesced)} coalesced${c.errors ? `, ${fmt(c.errors)} failed` : ''}`
  );
}

function cpuLine(label, seconds, cpu) {
  return `  CPU seconds ${label} (${fmt(seconds, 0)} s on ${availableParallelism()} cores): ${cpu
    .map(([name, used]) => `${name} ${fmt(used, 1)}`)
    .join(', ')}`;
}

/** Prints the figures; returns how many requests failed. */
function report(figures) {
  const { seeding, plan, seedCpu, rounds, coldSeconds, coldCpu, coldCache } = figures;
  const { warm, warmSeconds, warmCpu, warmCache } = figures;
  const cold = rounds.flat();
  const all = [...cold, ...warm];
  const failed = all.filter((l) => !l.ok);
  const ok = all.filter((l) => l.ok);
  const widgetErrors = ok.flatMap((l) => l.widgetErrors);
  const errorKinds = new Map();
  for (const e of widgetErrors) errorKinds.set(e, (errorKinds.get(e) ?? 0) + 1);
  const widgetCounts = new Map();
  for (const l of ok) widgetCounts.set(l.role, l.widgets);
  const widgetsTotal = ok.reduce((sum, l) => sum + l.widgets, 0);
  const coldL = latencies(cold);
  const warmL = latencies(warm);
  const met = (value, target) => (Number.isFinite(value) && value < target ? 'met' : 'NOT met');
  const lines = [
    '',
    `${NAME}: ${fmt(seeding.results)} results stored (${fmt(seeding.runs)} runs, ${DAYS} days, demo scale ${plan.scale}), ` +
      `seeded in ${fmt(seeding.seconds, 1)} s (${fmt(seeding.results / seeding.seconds)} results/s, ${SEED_CONCURRENCY} runs in flight)`,
    `  ${USERS} users (${ROLES.join(', ')} in turn); ${COLD_ROUNDS} cold rounds, then ${fmt(warmSeconds, 0)} s warm ` +
      `(think 0–${fmt(2 * THINK_MS)} ms)`,
    `  dashboard loads (GET /dashboard/{username}):`,
    row('cold, all rounds', cold),
    row('cold, round 1 (creates them)', rounds[0]),
    ...(rounds.length > 1 ? [row(`cold, rounds 2–${rounds.length}`, rounds.slice(1).flat())] : []),
    row('warm', warm),
    `  warm loads per second: ${fmt(warmL.n / warmSeconds, 1)}; cold rounds took ${fmt(coldSeconds, 1)} s in all`,
    `  failed requests: ${fmt(failed.length)} of ${fmt(all.length)}; widgets with an error: ${fmt(widgetErrors.length)} of ${fmt(widgetsTotal)}`,
    `  widgets per dashboard: ${fmt(widgetsTotal / (ok.length || 1), 1)} (${[...widgetCounts]
      .map(([role, n]) => `${role} ${n}`)
      .join(', ')})`,
    `  widget data computed, p50 / p95 (count), cold: ${widgetTimes(cold) || 'none'}`,
    `  widget data computed, p50 / p95 (count), warm: ${widgetTimes(warm) || 'none'}`,
    `  cache (GET /cache/stats, every instance): hit ratio cold ${pct(hitRatio(coldCache.overall))}, ` +
      `warm ${pct(hitRatio(warmCache.overall))}; widget data ${widgetCache('cold', coldCache.widgets)}; ` +
      widgetCache('warm', warmCache.widgets),
    cpuLine('while seeding', seeding.seconds, seedCpu),
    cpuLine('during the cold rounds', coldSeconds, coldCpu),
    cpuLine('during the warm phase', warmSeconds, warmCpu),
    `  cold p95 ${msOf(coldL.p95)} (target < ${fmt(TARGET_COLD_P95_MS)} ms): ${met(coldL.p95, TARGET_COLD_P95_MS)}`,
    `  warm p95 ${msOf(warmL.p95)} (target < ${fmt(TARGET_WARM_P95_MS)} ms): ${met(warmL.p95, TARGET_WARM_P95_MS)}`,
    ...failed.slice(0, 5).map((f) => `  failed: ${f.error}`),
    ...[...errorKinds]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([message, n]) => `  widget error (${fmt(n)}×): ${message}`),
    '',
  ];
  console.log(lines.join('\n'));
  return failed.length;
}

main().then(
  (clean) => process.exit(clean ? 0 : 1),
  (error) => {
    console.error(`${NAME}: failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
