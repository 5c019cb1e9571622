// Ingestion benchmark (npm run bench:ingest): uploads BENCH_RESULTS results (default 1,000,000) through
// the gateway of a fleet of its own, in CI-sized runs of about 1,000–5,000 results with a few uploads
// in flight, then inserts the equivalent stored-result documents straight into the same MongoDB
// server (insertMany, unordered, batches of the gateway's transport size) and compares the rates. It
// samples every app's memory and prints a table. It needs the build (node scripts/build.mjs).
//
// It never touches a running dev fleet: its own apps on free ports, a unique MONGO_DB_PREFIX (its
// databases are dropped at the end), its own throwaway redis-server on a free loopback port (Redis
// pub/sub channels are global to a server, whatever the db number, so two fleets on one Redis would
// answer each other's requests) and, unless BENCH_MONGO_URL names a server, its own FerretDB (the
// binary and flags of scripts/infra/up.sh, data under .data/bench/<prefix>/, removed at the end), so
// that its load and any FerretDB lock-up stay away from the shared dev instance.
//
// Environment: BENCH_RESULTS (1000000), BENCH_CONCURRENCY (4 uploads in flight), BENCH_RAW_RESULTS
// (default BENCH_RESULTS), BENCH_SCALE (8: demo catalogue scale, runs of ~1,000–3,600 results),
// BENCH_MONGO_URL (default: a private FerretDB; e.g. mongodb://127.0.0.1:27017 for the dev one),
// BENCH_REDIS_URL (default: a private redis-server), BENCH_TIMEOUT_MINUTES (90), BENCH_KEEP_DATA=1 (keep the databases),
// BENCH_LOG_LEVEL (warn; the apps' logs are in .data/bench/<prefix>/).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import {
  cpuDelta,
  cpuReading,
  dropDatabases,
  fmt,
  loadBuilt,
  mongoServer,
  positive as positiveOf,
  privateRedis,
  root,
  sleep,
} from './lib/infra.mjs';

const built = loadBuilt('bench:ingest', {
  testing: ['libs', 'testing', 'src', 'index.js'],
  demo: ['libs', 'demo-data', 'src', 'index.js'],
  mapper: ['apps', 'data-aggregation', 'src', 'ingestion', 'stored-result.mapper.js'],
});
const { Fleet, uniqueDbPrefix } = built.testing;
const { generateHistory } = built.demo;
const { toStoredResult } = built.mapper;
const mongoose = createRequire(import.meta.url)('mongoose');

// --- settings -----------------------------------------------------------------------------------------

const positive = (name, fallback) => positiveOf('bench:ingest', name, fallback);

const TARGET = Math.round(positive('BENCH_RESULTS', 1_000_000));
const RAW_TARGET = Math.round(positive('BENCH_RAW_RESULTS', TARGET));
const CONCURRENCY = Math.round(positive('BENCH_CONCURRENCY', 4));
const SCALE = positive('BENCH_SCALE', 8);
const DEADLINE = Date.now() + positive('BENCH_TIMEOUT_MINUTES', 90) * 60_000;
/** The gateway's transport batch (apps/gateway/src/executions/ingestion-client.ts): the raw inserts use it too. */
const TRANSPORT_BATCH = 2000;
/** Every this many runs one is streamed (start, batches of STREAM_BATCH, finish) like a live reporter. */
const STREAM_EVERY = 10;
const STREAM_BATCH = 1000;
const MEMORY_SAMPLE_MS = 500;
/** Requests of each analysis timed after the ingest (0 skips the analytics latency phase). */
const ANALYTICS_REPEAT = Math.round(Number(process.env.BENCH_ANALYTICS_REPEAT ?? 7));

const mb = (kb) => `${fmt(kb / 1024)} MB`;
const log = (line) => console.log(`bench:ingest: ${line}`);

// --- memory -------------------------------------------------------------------------------------------

/** Polls each app's VmRSS and reads VmHWM (the kernel's peak RSS of the process). */
class MemorySampler {
  constructor(fleet) {
    this.fleet = fleet;
    this.peaks = new Map();
    this.timer = setInterval(() => this.sample(), MEMORY_SAMPLE_MS);
    this.timer.unref();
  }

  static read(pid) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    } catch {
      return undefined;
    }
  }

  sample() {
    for (const app of this.fleet.apps) {
      const pid = this.fleet.pid(app);
      const now = pid && MemorySampler.read(pid);
      if (!now) continue;
      const peak = this.peaks.get(app) ?? { rss: 0, hwm: 0, last: 0 };
      this.peaks.set(app, {
        rss: Math.max(peak.rss, now.rss),
        hwm: Math.max(peak.hwm, now.hwm),
        last: now.rss,
      });
    }
  }

  stop() {
    this.sample();
    clearInterval(this.timer);
    return this.peaks;
  }
}

// --- the API ------------------------------------------------------------------------------------------

async function call(base, token, method, path, body, expected = [200, 201]) {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(300_000),
  });
  const text = await response.text();
  if (!expected.includes(response.status)) {
    throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
  }
  return text ? JSON.parse(text) : undefined;
}

const meta = (run) => ({
  project: run.project,
  runId: run.runId,
  name: run.name,
  branch: run.branch,
  commit: run.commit,
  environment: run.environment,
  startedAt: run.startedAt,
});

/** One run through the gateway: whole, or every STREAM_EVERY-th streamed. Returns the stored count. */
async function upload(base, token, run, index) {
  if (index % STREAM_EVERY !== STREAM_EVERY - 1) {
    const reply = await call(base, token, 'POST', '/executions', {
      ...meta(run),
      finishedAt: run.finishedAt,
      results: run.results,
    });
    return reply.summary.tests;
  }
  await call(base, token, 'POST', '/executions', { ...meta(run), status: 'running' });
  const path = `/executions/${encodeURIComponent(run.runId)}`;
  for (let i = 0, batch = 0; i < run.results.length; i += STREAM_BATCH, batch++) {
    await call(base, token, 'POST', `${path}/results`, {
      project: run.project,
      batch,
      results: run.results.slice(i, i + STREAM_BATCH),
    });
  }
  const reply = await call(base, token, 'POST', `${path}/finish`, {
    project: run.project,
    finishedAt: run.finishedAt,
  });
  return reply.summary.tests;
}

// --- the workload -------------------------------------------------------------------------------------

/** A demo history long enough for `target` results (the days double until it is; bounded). */
function workload(target) {
  const endDate = new Date();
  for (let days = 8; days <= 8 * 2 ** 8; days *= 2) {
    const history = generateHistory({ seed: 'bench-ingest', days, scale: SCALE, endDate });
    let total = 0;
    for (const plan of history.plan()) if ((total += plan.tests) >= target) return history;
  }
  throw new Error(`no demo history holds ${target} results`);
}

/** The first runs of the history, up to `target` results. */
function* runsUpTo(history, target) {
  let total = 0;
  for (const run of history.runs()) {
    if (total >= target) return;
    total += run.results.length;
    yield run;
  }
}

/** Runs `worker` over the items with at most `limit` in flight; items are pulled lazily. */
async function pool(items, limit, worker) {
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let failure;
  const lane = async () => {
    for (;;) {
      if (failure) return;
      if (Date.now() > DEADLINE) throw new Error('BENCH_TIMEOUT_MINUTES reached');
      const next = iterator.next();
      if (next.done) return;
      try {
        await worker(next.value, index++);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: limit }, lane));
  if (failure) throw failure;
}

function progress(label, started, done, target, extra = () => '') {
  let last = 0;
  return (force = false) => {
    if (!force && Date.now() - last < 5000) return;
    last = Date.now();
    const secs = (Date.now() - started) / 1000;
    const rate = done() / secs;
    const eta = rate > 0 ? (target - done()) / rate : 0;
    log(
      `${label}: ${fmt(done())}/${fmt(target)} results (${Math.min(100, Math.round((100 * done()) / target))} %), ` +
        `${fmt(rate)}/s, ${secs.toFixed(0)} s elapsed, ~${Math.max(0, eta).toFixed(0)} s to go${extra()}`,
    );
  };
}

// --- phases -------------------------------------------------------------------------------------------

async function gatewayPhase(fleet, history, sampler) {
  const base = fleet.gatewayUrl;
  const login = await call(base, undefined, 'POST', '/auth/login', ADMIN, [200]);
  const token = login.accessToken;
  for (const project of history.projects) {
    await call(base, token, 'POST', '/projects', { key: project.key, name: project.name }, [201]);
  }
  let results = 0;
  let runs = 0;
  let smallest = Infinity;
  let largest = 0;
  const latencies = [];
  const perProject = new Map();
  const started = Date.now();
  const report = progress(
    'gateway',
    started,
    () => results,
    TARGET,
    () => {
      const da = sampler.peaks.get('data-aggregation');
      return da ? `, data-aggregation RSS ${mb(da.last)}` : '';
    },
  );
  await pool(runsUpTo(history, TARGET), CONCURRENCY, async (run, index) => {
    const t0 = Date.now();
    const stored = await upload(base, token, run, index);
    latencies.push(Date.now() - t0);
    if (stored !== run.results.length) {
      throw new Error(`${run.runId}: ${run.results.length} results sent, ${stored} stored`);
    }
    results += stored;
    runs += 1;
    smallest = Math.min(smallest, stored);
    largest = Math.max(largest, stored);
    perProject.set(run.project, (perProject.get(run.project) ?? 0) + 1);
    report();
  });
  const seconds = (Date.now() - started) / 1000;
  report(true);
  // Read back: the run counts the gateway lists are the runs sent.
  for (const [project, count] of perProject) {
    const page = await call(
      base,
      token,
      'GET',
      `/executions?project=${project}&pageSize=1`,
      undefined,
      [200],
    );
    if (page.total !== count) throw new Error(`${project}: ${count} runs sent, ${page.total} listed`);
  }
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
  return { results, runs, seconds, smallest, largest, p50: pct(0.5), p95: pct(0.95) };
}

/**
 * Waits (at most 60 s) until the fleet and FerretDB use under a tenth of a core over 2 s: the last
 * finalisations and the maintenance jobs of the ingest are over, so the latencies measure the analyses.
 */
async function settle(fleet, mongo) {
  const started = Date.now();
  for (;;) {
    const before = cpuReading(fleet, mongo);
    await sleep(2000);
    const after = cpuReading(fleet, mongo);
    let busy = 0;
    for (const [name, value] of after)
      if (name !== 'benchmark client') busy += Math.max(0, value - (before.get(name) ?? value));
    if (busy < 0.2 || Date.now() - started > 60_000) {
      log(
        `settled after ${fmt((Date.now() - started) / 1000, 1)} s (fleet and FerretDB: ${fmt(busy / 2, 2)} cores busy)`,
      );
      return;
    }
  }
}

/**
 * Latency of the analyses on what was just ingested, uncached (the project's cache entries are
 * invalidated before each request): `BENCH_ANALYTICS_REPEAT` sequential requests each of flakiness
 * and trends over 30 days for the project with the most tests, and of a 30-day executive-summary
 * report (when the gateway serves reports). Returns one row per request kind.
 */
async function analyticsPhase(fleet, history, mongo) {
  const base = fleet.gatewayUrl;
  const { accessToken: token } = await call(base, undefined, 'POST', '/auth/login', ADMIN, [200]);
  const testsPer = new Map();
  for (const test of history.tests) testsPer.set(test.project, (testsPer.get(test.project) ?? 0) + 1);
  const [project, tests] = [...testsPer].sort((a, b) => b[1] - a[1])[0];
  const kinds = [
    ['flakiness (30 days)', 'POST', '/analytics/flakiness', { project, days: 30 }],
    ['trends (30 days)', 'GET', `/aggregation/trends?project=${project}&days=30`, undefined],
    [
      'executive-summary report (30 days)',
      'POST',
      '/reports/generate',
      { template: 'executive-summary', filter: { projects: [project] } },
    ],
  ];
  const rows = [];
  for (const [label, method, path, body] of kinds) {
    const times = [];
    let skipped;
    const cpuBefore = cpuReading(fleet, mongo);
    for (let i = 0; i < ANALYTICS_REPEAT; i++) {
      // Uncached: every entry of the project is made unreachable first (not timed).
      await call(base, token, 'POST', '/cache/invalidate', { project }, [200]);
      const t0 = performance.now();
      const response = await fetch(`${base}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(300_000),
      });
      const text = await response.text();
      if (response.status === 404 && path.startsWith('/reports')) {
        skipped = 'not served by this build';
        break;
      }
      if (response.status !== 200 && response.status !== 201)
        throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    rows.push({ label, project, tests, skipped, n: times.length, p50: pct(0.5), p95: pct(0.95) });
    // CPU per request of each process that used at least 5 ms of it: where a request's time goes.
    const cpuAfter = cpuReading(fleet, mongo);
    const perRequest = [...cpuAfter]
      .filter(([name]) => name !== 'benchmark client')
      .map(([name, value]) => [name, ((value - (cpuBefore.get(name) ?? value)) * 1000) / (times.length || 1)])
      .filter(([, ms]) => ms >= 5)
      .sort((a, b) => b[1] - a[1])
      .map(([name, ms]) => `${name} ${fmt(ms)}`)
      .join(', ');
    log(
      skipped
        ? `${label}: skipped (${skipped})`
        : `${label}: p50 ${fmt(pct(0.5))} ms, p95 ${fmt(pct(0.95))} ms; CPU ms per request: ${perRequest}`,
    );
  }
  return rows;
}

async function rawPhase(url, prefix, history) {
  const connection = await mongoose.createConnection(url, { dbName: `${prefix}_rawbench` }).asPromise();
  try {
    const collection = connection.db.collection('results');
    // The indexes of StoredResultSchema (apps/data-aggregation/src/results/schemas/result.schema.ts).
    await collection.createIndex({ testId: 1 });
    await collection.createIndex({ project: 1, day: 1 });

    // Batches of stored-result documents, mapped exactly as data-aggregation maps them.
    function* batches() {
      for (const run of runsUpTo(history, RAW_TARGET)) {
        const startedAt = new Date(run.startedAt);
        const record = {
          project: run.project,
          runId: run.runId,
          branch: run.branch,
          commit: run.commit,
          day: run.startedAt.slice(0, 10),
          startedAt,
        };
        for (let i = 0, batch = 0; i < run.results.length; i += TRANSPORT_BATCH, batch++) {
          const chunk = run.results.slice(i, i + TRANSPORT_BATCH);
          yield chunk.map((result, index) => toStoredResult(record, `b${batch}`, index, result));
        }
      }
    }
    let inserted = 0;
    let bytes = 0;
    let docs = 0;
    const started = Date.now();
    const report = progress('raw insertMany', started, () => inserted, RAW_TARGET);
    await pool(batches(), CONCURRENCY, async (batch) => {
      if (docs < 2000) {
        bytes += batch.reduce((sum, doc) => sum + JSON.stringify(doc).length, 0);
        docs += batch.length;
      }
      const result = await collection.insertMany(batch, { ordered: false });
      inserted += result.insertedCount;
      report();
    });
    const seconds = (Date.now() - started) / 1000;
    report(true);
    return { results: inserted, seconds, avgDocBytes: Math.round(bytes / Math.max(1, docs)) };
  } finally {
    await connection.close();
  }
}

// --- main ---------------------------------------------------------------------------------------------

const ADMIN = { username: 'bench-admin', password: randomBytes(12).toString('hex') };

async function main() {
  const prefix = uniqueDbPrefix('bench');
  const logDir = join(root, '.data', 'bench', prefix);
  const history = workload(Math.max(TARGET, RAW_TARGET));
  const keepData = process.env.BENCH_KEEP_DATA === '1';
  const mongo = await mongoServer(logDir);
  const url = mongo.url;
  const redis = await privateRedis();
  log(
    `${mongo.private ? 'private FerretDB' : 'MongoDB'} ${url}, private Redis ${redis.url}, ` +
      `databases ${prefix}_*, logs ${relative(root, logDir)}/`,
  );
  let fleet;
  let sampler;
  const stopAll = async () => {
    sampler?.stop();
    await fleet?.stop();
    await redis.stop();
  };
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(1);
    interrupted = true;
    log('interrupted: stopping the fleet and dropping the databases');
    void stopAll()
      .then(() =>
        keepData || mongo.private ? undefined : dropDatabases(url, prefix, [`${prefix}_rawbench`]),
      )
      .finally(() => mongo.stop(keepData).finally(() => process.exit(130)));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let gateway;
  let raw;
  let peaks;
  let cpuBefore;
  let cpuAfter;
  let analytics = [];
  let rawCpu = [];
  try {
    fleet = await Fleet.start({
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
        REDIS_URL: redis.url,
        MONGO_URL: url,
        MONGO_DB_PREFIX: prefix,
        JWT_SECRET: randomBytes(32).toString('hex'),
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
        RATE_LIMIT_PER_MINUTE: '1000000',
        // One token for the whole run (the default 15 minutes is shorter than a large benchmark).
        JWT_ACCESS_TTL_SECONDS: String(Math.ceil((DEADLINE - Date.now()) / 1000) + 3600),
      },
      logDir,
      readyTimeoutMs: 120_000,
      // BENCH_CPU_PROFILE=<dir>: each app writes a V8 CPU profile there when it stops.
      nodeArgs: process.env.BENCH_CPU_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROFILE)}`]
        : [],
    });
    sampler = new MemorySampler(fleet);
    cpuBefore = cpuReading(fleet, mongo);
    log(
      `fleet ready; uploading ${fmt(TARGET)} results, ${CONCURRENCY} uploads in flight ` +
        `(1 run in ${STREAM_EVERY} streamed in batches of ${STREAM_BATCH})`,
    );
    gateway = await gatewayPhase(fleet, history, sampler);
    cpuAfter = cpuReading(fleet, mongo);
    if (ANALYTICS_REPEAT > 0) {
      await settle(fleet, mongo);
      analytics = await analyticsPhase(fleet, history, mongo);
    }
    peaks = sampler.stop();
    log(`inserting ${fmt(RAW_TARGET)} equivalent documents straight into ${prefix}_rawbench.results`);
    const rawBefore = cpuReading(fleet, mongo);
    raw = await rawPhase(url, prefix, history);
    rawCpu = cpuDelta(rawBefore, cpuReading(fleet, mongo));
  } finally {
    peaks ??= sampler?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await fleet?.stop();
    await redis.stop();
    if (!keepData && !mongo.private) {
      const dropped = await dropDatabases(url, prefix, [`${prefix}_rawbench`]).catch((error) => ({
        failed: [error.message],
        names: [],
      }));
      if (dropped.failed.length > 0) log(`could not drop: ${dropped.failed.join(', ')}`);
      else log(`dropped ${dropped.names.length} databases ${prefix}_*`);
    }
    await mongo.stop(keepData);
    if (keepData)
      log(`data kept (BENCH_KEEP_DATA=1)${mongo.private ? ` in ${relative(root, mongo.dir)}` : ''}`);
  }

  const gatewayRate = gateway.results / gateway.seconds;
  const rawRate = raw.results / raw.seconds;
  const ratio = gatewayRate / rawRate;
  const rows = [
    [
      'gateway ingest (POST /executions)',
      `${fmt(gateway.results)} results`,
      `${fmt(gateway.seconds, 1)} s`,
      `${fmt(gatewayRate)}/s`,
    ],
    [
      'raw insertMany (same documents)',
      `${fmt(raw.results)} results`,
      `${fmt(raw.seconds, 1)} s`,
      `${fmt(rawRate)}/s`,
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) =>
    `  ${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3].padStart(widths[3])}`;
  const GB = 1024 * 1024;
  const cpuRows = cpuDelta(cpuBefore, cpuAfter);
  const memoryRows = [...peaks.entries()].map(([app, p]) => [app, p.hwm, p.rss]);
  const worst = Math.max(...memoryRows.map(([, hwm]) => hwm));
  console.log(
    [
      '',
      `bench:ingest: ${fmt(gateway.runs)} runs of ${fmt(gateway.smallest)}–${fmt(gateway.largest)} results, ` +
        `${CONCURRENCY} in flight, run latency p50 ${fmt(gateway.p50 / 1000, 1)} s / p95 ${fmt(gateway.p95 / 1000, 1)} s; ` +
        `raw: unordered insertMany of ≤ ${TRANSPORT_BATCH} docs (~${fmt(raw.avgDocBytes)} B each), ${CONCURRENCY} in flight`,
      ...rows.map(line),
      `  ratio gateway / raw: ${ratio.toFixed(2)}   (target ≥ 0.50: ${ratio >= 0.5 ? 'met' : 'NOT met'})`,
      `  peak memory per app (VmHWM / highest sampled VmRSS), target < 1 GB: ${worst < GB ? 'met' : 'NOT met'}`,
      ...memoryRows.map(
        ([app, hwm, rss]) =>
          `    ${app.padEnd(24)} ${mb(hwm).padStart(9)} / ${mb(rss).padStart(9)}${hwm >= GB ? '  > 1 GB' : ''}`,
      ),
      ...(analytics.length > 0
        ? [
            `  analytics latency, uncached, on ${analytics[0].project} (${fmt(analytics[0].tests)} tests), ${ANALYTICS_REPEAT} requests each (targets: report p95 < 500 ms, flakiness < 2 s):`,
            ...analytics.map((row) =>
              row.skipped
                ? `    ${row.label.padEnd(36)} skipped: ${row.skipped}`
                : `    ${row.label.padEnd(36)} p50 ${fmt(row.p50).padStart(6)} ms   p95 ${fmt(row.p95).padStart(6)} ms`,
            ),
          ]
        : []),
      `  CPU seconds during the gateway phase (${fmt(gateway.seconds, 0)} s on ${availableParallelism()} cores), where the time goes:`,
      ...cpuRows.map(([name, used]) => `    ${name.padEnd(24)} ${fmt(used, 1).padStart(9)} s`),
      `  CPU seconds during the raw phase (${fmt(raw.seconds, 0)} s):`,
      ...rawCpu.map(([name, used]) => `    ${name.padEnd(24)} ${fmt(used, 1).padStart(9)} s`),
      '',
    ].join('\n'),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:ingest: failed: ${error.stack ?? error.message}`);
    if (/did not answer within/.test(error.message)) {
      console.error(
        'bench:ingest: data-aggregation stopped answering: see its log under .data/bench/. A stock FerretDB 1.24 ' +
          'hangs when about 100 update statements are in flight; the one scripts/infra/install-ferretdb.sh ' +
          'builds is patched (scripts/infra/ferretdb-patches/0002).',
      );
    }
    process.exit(1);
  },
);
