// Cache benchmark (npm run bench:cache): a fleet of its own with the demo history, then BENCH_USERS
// virtual users (default 50) reading dashboards and generating reports through the gateway, with a
// new run ingested every BENCH_INGEST_EVERY_SECONDS. After a warm-up it measures for BENCH_SECONDS
// and prints the hit ratio (seen by the users, and gathered from every instance by GET /cache/stats),
// the latency of cached and uncached answers (p50/p95) and their ratio, all from this one run, and
// checks that no read after an ingest missed the new run.
//
// A read is cached when the gateway's X-Cache header says local or redis (analyses), or when the
// report's body was computed before the request was sent (reports: computedAt). Users pick what they
// open by a Zipf law over the views of the demo projects (a few are opened far more than the rest),
// and think 0–2×BENCH_THINK_MS between views. A dashboard's widgets load in parallel.
//
// Environment: BENCH_USERS (50), BENCH_SECONDS (60), BENCH_WARMUP_SECONDS (20), BENCH_THINK_MS (1000),
// BENCH_INGEST_EVERY_SECONDS (15), BENCH_DEMO_DAYS (21), BENCH_DEMO_SCALE (0.5), BENCH_MONGO_URL /
// BENCH_REDIS_URL (default: private servers), BENCH_LOG_LEVEL (warn; logs in .data/bench/<prefix>/),
// BENCH_CPU_PROFILE (a folder: each app writes a V8 CPU profile there when it stops).
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
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from '../scripts/seed-demo.mjs';

const NAME = 'bench:cache';
const built = loadBuilt(NAME, {
  testing: ['libs', 'testing', 'src', 'index.js'],
  demo: ['libs', 'demo-data', 'src', 'index.js'],
});
const { uniqueDbPrefix } = built.testing;
const { generateHistory, mulberry32 } = built.demo;

const positive = (name, fallback) => positiveOf(NAME, name, fallback);
const USERS = Math.round(positive('BENCH_USERS', 50));
const SECONDS = positive('BENCH_SECONDS', 60);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 20);
const THINK_MS = positive('BENCH_THINK_MS', 1000);
const INGEST_EVERY_SECONDS = positive('BENCH_INGEST_EVERY_SECONDS', 15);
const DEMO_DAYS = Math.round(positive('BENCH_DEMO_DAYS', 21));
const DEMO_SCALE = positive('BENCH_DEMO_SCALE', 0.5);
/** Zipf exponent of the views' popularity. */
const ZIPF_S = 1;

const log = (line) => console.log(`${NAME}: ${line}`);
const ADMIN = { username: 'bench-admin', password: randomBytes(12).toString('hex') };

// --- the workload -------------------------------------------------------------------------------------

/**
 * What users open: per project two dashboards, whose widgets load in parallel (an overview: trends,
 * quality score, flakiness; a stability board: last week's trends, duration metrics, failure
 * patterns), and four reports.
 */
function viewsOf(projects) {
  const views = [];
  for (const p of projects) {
    const q = `project=${encodeURIComponent(p)}`;
    views.push(
      {
        name: `${p} overview dashboard`,
        requests: [
          { kind: 'trends', method: 'GET', path: `/aggregation/trends?${q}&days=30` },
          { kind: 'quality', method: 'GET', path: `/analytics/quality-score?${q}` },
          { kind: 'flakiness', method: 'POST', path: '/analytics/flakiness', body: { project: p, days: 30 } },
        ],
      },
      {
        name: `${p} stability dashboard`,
        requests: [
          { kind: 'trends', method: 'GET', path: `/aggregation/trends?${q}&days=7` },
          { kind: 'metrics', method: 'GET', path: `/aggregation/metrics?${q}&days=30` },
          { kind: 'patterns', method: 'POST', path: '/analytics/patterns', body: { project: p, days: 14 } },
        ],
      },
      ...['executive-summary', 'flaky-tests', 'slowest-tests', 'trends'].map((template) => ({
        name: `${p} ${template} report`,
        report: true,
        requests: [
          {
            kind: 'report',
            method: 'POST',
            path: '/reports/generate',
            body: { template, filter: { projects: [p] } },
          },
        ],
      })),
    );
  }
  return views;
}

/** Picks views by a Zipf law over a shuffled order: the i-th most popular has weight 1 / i^s. */
function zipfPicker(views, random) {
  const order = views.map((view) => ({ view, key: random() })).sort((a, b) => a.key - b.key);
  const weights = order.map((_, i) => 1 / (i + 1) ** ZIPF_S);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w / total));
  return (r) => {
    const i = cumulative.findIndex((c) => r <= c);
    return order[i === -1 ? order.length - 1 : i].view;
  };
}

/** A new run of `project` (a run of the demo history sent again under a new id, started just now). */
function liveRun(template, index) {
  const finishedAt = new Date();
  const took = Date.parse(template.finishedAt) - Date.parse(template.startedAt);
  return {
    project: template.project,
    runId: `bench-live-${index}-${randomBytes(3).toString('hex')}`,
    name: template.name,
    branch: template.branch,
    commit: template.commit,
    environment: template.environment,
    startedAt: new Date(finishedAt.getTime() - Math.max(1000, took)).toISOString(),
    finishedAt: finishedAt.toISOString(),
    results: template.results,
  };
}

/** The cache's counters summed over every instance (from GET /cache/stats). */
async function cacheTotals(base, token) {
  const { body } = await call(base, token, 'GET', '/cache/stats');
  return body.totals;
}

function delta(before, after) {
  const minus = (a = {}, b = {}) => ({
    hits: (a.hits ?? 0) - (b.hits ?? 0),
    misses: (a.misses ?? 0) - (b.misses ?? 0),
  });
  const namespaces = {};
  for (const [name, counters] of Object.entries(after.namespaces))
    namespaces[name] = minus(counters, before.namespaces[name]);
  return { overall: minus(after.overall, before.overall), namespaces, local: after.local };
}

const ratio = ({ hits, misses }) => (hits + misses > 0 ? hits / (hits + misses) : NaN);
const times = (value) => (Number.isFinite(value) ? `${value.toFixed(1)}×` : 'n/a');
const pct = (value) => (Number.isFinite(value) ? `${(100 * value).toFixed(1)} %` : 'n/a');
const msOf = (value) => (Number.isFinite(value) ? `${fmt(value, value < 10 ? 1 : 0)} ms` : 'n/a');

/** One request of a view, classified: cached or not, where from, how long. */
async function measure(base, token, request) {
  const sentAt = Date.now();
  try {
    const report = request.kind === 'report';
    const res = await send(base, token, request.method, request.path, request.body, report);
    const ok = res.status === 200 || res.status === 201;
    const cached = report
      ? ok && Date.parse(res.body.computedAt) < sentAt
      : res.cache === 'local' || res.cache === 'redis';
    return {
      kind: request.kind,
      ok,
      cached,
      source: report ? (cached ? 'report body cached' : 'report computed') : res.cache,
      ms: res.ms,
      error: ok
        ? undefined
        : `${request.method} ${request.path} → ${res.status}: ${JSON.stringify(res.body).slice(0, 200)}`,
    };
  } catch (error) {
    return {
      kind: request.kind,
      ok: false,
      cached: false,
      ms: NaN,
      error: `${request.path}: ${error.message}`,
    };
  }
}

/**
 * The users: each loops (open a view: its requests at once, as a browser loads a dashboard's
 * widgets; then think) until `until()`. Every request goes to `record`, every view's load time (its
 * slowest request) to `recordView`. Returns when all have stopped.
 */
async function runUsers(base, tokens, pick, random, until, record, recordView = () => undefined) {
  const user = async (index) => {
    const { token, reports } = tokens[index % tokens.length];
    await sleep(random() * 2 * THINK_MS); // users do not all start at once
    while (!until()) {
      let view = pick(random());
      while (view.report && !reports) view = pick(random());
      const started = performance.now();
      const outcomes = await Promise.all(view.requests.map((request) => measure(base, token, request)));
      for (const outcome of outcomes) record(outcome);
      recordView({
        dashboard: !view.report,
        ok: outcomes.every((o) => o.ok),
        ms: performance.now() - started,
      });
      await sleep(random() * 2 * THINK_MS);
    }
  };
  await Promise.all(Array.from({ length: USERS }, (_, i) => user(i)));
}

/**
 * Every INGEST_EVERY_SECONDS (the first after as long), one new run (projects in turn) through the gateway; right after its 201,
 * reads the project's trends and checks the new run is counted (the cache must never serve older).
 */
async function runIngests(base, token, templates, until) {
  const outcome = { runs: 0, stale: 0, staleDetails: [] };
  const projects = [...templates.keys()];
  const wait = async () => {
    const next = Date.now() + INGEST_EVERY_SECONDS * 1000;
    while (!until() && Date.now() < next) await sleep(200);
  };
  for (await wait(); !until(); await wait()) {
    const project = projects[outcome.runs % projects.length];
    const path = `/aggregation/trends?project=${encodeURIComponent(project)}&days=30`;
    const before = await call(base, token, 'GET', path);
    await call(base, token, 'POST', '/executions', liveRun(templates.get(project), outcome.runs), [201]);
    outcome.runs += 1;
    const after = await call(base, token, 'GET', path);
    if (after.body.totals.runs !== before.body.totals.runs + 1) {
      outcome.stale += 1;
      outcome.staleDetails.push(
        `${project}: ${before.body.totals.runs} runs before, ${after.body.totals.runs} after (X-Cache ${after.cache})`,
      );
    }
  }
  return outcome;
}

// --- main ---------------------------------------------------------------------------------------------

function viewTimes(list) {
  const ms = list.map((v) => v.ms).sort((a, b) => a - b);
  return { n: list.length, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
}

function summarise(samples) {
  const sorted = (list) => list.map((s) => s.ms).sort((a, b) => a - b);
  const group = (list) => {
    const ms = sorted(list);
    return { n: list.length, p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
  };
  const ok = samples.filter((s) => s.ok);
  const cached = group(ok.filter((s) => s.cached));
  const uncached = group(ok.filter((s) => !s.cached));
  const kinds = [...new Set(ok.map((s) => s.kind))].map((kind) => {
    const of = ok.filter((s) => s.kind === kind);
    return {
      kind,
      hitRatio: of.filter((s) => s.cached).length / of.length,
      all: group(of),
      cached: group(of.filter((s) => s.cached)),
      uncached: group(of.filter((s) => !s.cached)),
    };
  });
  const sources = {};
  for (const s of ok) sources[s.source] = (sources[s.source] ?? 0) + 1;
  return { ok, cached, uncached, kinds, sources, all: group(ok), failed: samples.filter((s) => !s.ok) };
}

async function main() {
  const prefix = uniqueDbPrefix('benchcache');
  return withBenchFleet({ prefix, admin: ADMIN, log }, async ({ fleet, mongo, redis }) => {
    const base = fleet.gatewayUrl;
    log(`fleet ready; seeding the demo history (${DEMO_DAYS} days, scale ${DEMO_SCALE})`);
    const endDate = new Date();
    const seeding = await seedDemo({
      server: base,
      username: ADMIN.username,
      password: ADMIN.password,
      days: DEMO_DAYS,
      scale: DEMO_SCALE,
      endDate,
      log: (line) => log(`seed: ${line}`),
    });
    if (seeding.failed > 0) throw new Error(`seeding failed: ${seeding.errors.join('; ')}`);

    // A run of each project to send again during the measurement.
    const history = generateHistory({ seed: 1, days: DEMO_DAYS, scale: DEMO_SCALE, endDate });
    const templates = new Map();
    for (const run of history.runs()) templates.set(run.project, run);
    const projects = history.projects.map((p) => p.key);

    const { body: adminLogin } = await call(base, undefined, 'POST', '/auth/login', ADMIN, [200]);
    const adminToken = adminLogin.accessToken;
    // The demo users, each with whether their role may generate reports (a product owner reads them).
    const tokens = [];
    for (const user of DEMO_USERS) {
      const { body } = await call(
        base,
        undefined,
        'POST',
        '/auth/login',
        { username: user.username, password: DEMO_PASSWORD },
        [200],
      );
      tokens.push({ token: body.accessToken, reports: user.role !== 'product_owner' });
    }

    // Seeded, so that the mix is the same from run to run.
    const random = mulberry32(7);
    const pick = zipfPicker(viewsOf(projects), random);
    log(
      `warm-up: ${USERS} users for ${WARMUP_SECONDS} s, then ${SECONDS} s measured, a run ingested every ${INGEST_EVERY_SECONDS} s`,
    );
    const warmEnd = Date.now() + WARMUP_SECONDS * 1000;
    let warmRequests = 0;
    await runUsers(
      base,
      tokens,
      pick,
      random,
      () => Date.now() > warmEnd,
      () => (warmRequests += 1),
    );

    const statsBefore = await cacheTotals(base, adminToken);
    const samples = [];
    const views = [];
    const end = Date.now() + SECONDS * 1000;
    const until = () => Date.now() > end;
    const startedAt = Date.now();
    const cpuBefore = cpuReading(fleet, mongo, redis);
    const [, ingests] = await Promise.all([
      runUsers(
        base,
        tokens,
        pick,
        random,
        until,
        (sample) => samples.push(sample),
        (view) => views.push(view),
      ),
      runIngests(base, adminToken, templates, until),
    ]);
    const seconds = (Date.now() - startedAt) / 1000;
    const cpu = cpuDelta(cpuBefore, cpuReading(fleet, mongo, redis));
    await sleep(500);
    const server = delta(statsBefore, await cacheTotals(base, adminToken));
    report({ samples, views, seconds, warmRequests, ingests, server, cpu });
    return summarise(samples).failed.length === 0 && ingests.stale === 0;
  });
}

function report({ samples, views, seconds, warmRequests, ingests, server, cpu }) {
  const s = summarise(samples);
  const hitRatio = s.cached.n / (s.ok.length || 1);
  const ratioP50 = s.uncached.p50 / s.cached.p50;
  const ratioP95 = s.uncached.p95 / s.cached.p95;
  const row = (label, g) =>
    `    ${label.padEnd(22)} ${fmt(g.n).padStart(7)}   p50 ${msOf(g.p50).padStart(9)}   p95 ${msOf(g.p95).padStart(9)}`;
  const lines = [
    '',
    `${NAME}: ${USERS} users, ${fmt(seconds, 0)} s measured after ${fmt(warmRequests)} warm-up requests: ` +
      `${fmt(samples.length)} requests (${fmt(samples.length / seconds, 1)}/s), ${fmt(s.failed.length)} failed; ` +
      `${ingests.runs} runs ingested meanwhile, stale reads after them: ${ingests.stale}`,
    `  hit ratio seen by the users: ${pct(hitRatio)}   (target ≥ 90 %: ${hitRatio >= 0.9 ? 'met' : 'NOT met'})`,
    `  hit ratio of every instance (GET /cache/stats, this phase): ${pct(ratio(server.overall))} ` +
      `(${fmt(server.overall.hits)} hits, ${fmt(server.overall.misses)} misses; report misses read analyses through the cache too)`,
    `  latency through the gateway:`,
    row('cached', s.cached),
    row('uncached', s.uncached),
    row('all', s.all),
    row('dashboard loads', viewTimes(views.filter((v) => v.ok && v.dashboard))),
    `  uncached / cached: p50 ${times(ratioP50)}, p95 ${times(ratioP95)}   ` +
      `(cached p95 target < 20 ms: ${s.cached.p95 < 20 ? 'met' : 'NOT met'})`,
    `  per kind (hit ratio; cached p50/p95; uncached p50/p95):`,
    ...s.kinds.map(
      (k) =>
        `    ${k.kind.padEnd(10)} ${fmt(k.all.n).padStart(6)} requests  ${pct(k.hitRatio).padStart(7)}   ` +
        `cached ${msOf(k.cached.p50)} / ${msOf(k.cached.p95)}   uncached ${msOf(k.uncached.p50)} / ${msOf(k.uncached.p95)}`,
    ),
    `  answers by source: ${Object.entries(s.sources)
      .sort((a, b) => b[1] - a[1])
      .map(([source, n]) => `${source} ${fmt(n)}`)
      .join(', ')}`,
    `  per namespace, every instance: ${Object.entries(server.namespaces)
      .filter(([, c]) => c.hits + c.misses > 0)
      .map(([name, c]) => `${name} ${pct(ratio(c))} of ${fmt(c.hits + c.misses)}`)
      .join(', ')}`,
    `  local layers: ${fmt(server.local.entries)} entries, ${fmt(server.local.bytes / 1048576, 1)} MB, ${fmt(server.local.evictions)} evictions`,
    `  CPU seconds during the measurement (${fmt(seconds, 0)} s on ${availableParallelism()} cores): ${cpu
      .map(([name, used]) => `${name} ${fmt(used, 1)}`)
      .join(', ')}`,
    ...s.failed.slice(0, 5).map((f) => `  failed: ${f.error}`),
    ...ingests.staleDetails.slice(0, 5).map((line) => `  stale: ${line}`),
    '',
  ];
  console.log(lines.join('\n'));
}

main().then(
  (clean) => process.exit(clean ? 0 : 1),
  (error) => {
    console.error(`${NAME}: failed: ${error.stack ?? error.message}`);
    process.exit(1);
  },
);
