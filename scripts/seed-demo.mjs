// Fills a running TestPulse with a realistic demo history (libs/demo-data) through the public API:
// the demo projects, a few demo users with their roles as members, then the runs: one-shot
// POST /executions, a few streamed in batches like a live reporter would. Idempotent: the run ids are
// deterministic, so running it again stores nothing twice (201 new, 200 already stored).
//
//   npm run seed:demo                     # against http://127.0.0.1:${GATEWAY_PORT:-3000}
//   DEMO_DAYS=42 DEMO_SCALE=2 npm run seed:demo
//
// Environment: TESTPULSE_SERVER (default http://127.0.0.1:${GATEWAY_PORT:-3000}), TESTPULSE_USER /
// TESTPULSE_PASSWORD (default the development admin, admin / testpulse-admin), DEMO_SEED (1), DEMO_DAYS
// (21), DEMO_SCALE (0.5: about 500 tests; 1 doubles them), DEMO_END (ISO end of the history, default
// now), DEMO_CONCURRENCY (1; see DEMO_DEFAULTS). Needs the build (node scripts/build.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const demoDataPath = join(root, 'dist', 'libs', 'demo-data', 'src', 'index.js');

export const DEMO_USERS = [
  { username: 'qa.alice', role: 'qa_engineer' },
  { username: 'tm.bob', role: 'test_manager' },
  { username: 'lead.carol', role: 'dev_lead' },
  { username: 'po.dave', role: 'product_owner' },
];
export const DEMO_PASSWORD = 'demo-password';

/**
 * The history npm start and npm run seed:demo add (the same, so that either can complete the other):
 * 21 days, about 500 tests, 370 runs, 60,000 results. One run at a time: FerretDB 1.24 (SQLite)
 * deadlocks when about 100 update statements are in flight on one database, which concurrent run
 * finalisations of data-aggregation can reach; DEMO_CONCURRENCY=3 (one per project) is faster once
 * they cannot.
 */
export const DEMO_DEFAULTS = { seed: 1, days: 21, scale: 0.5, concurrency: 1 };

/** Every this many runs (by a hash of the run id), one is streamed in batches instead of sent whole. */
const STREAM_EVERY = 12;
const STREAM_BATCH = 150;
const REQUEST_TIMEOUT_MS = 180_000;
const MAX_RETRIES = 6;

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
const fmt = (n) => n.toLocaleString('en-US');

function loadDemoData() {
  if (!existsSync(demoDataPath)) {
    throw new Error(`${relative(root, demoDataPath)} is missing: run node scripts/build.mjs first`);
  }
  return createRequire(import.meta.url)(demoDataPath);
}

function hash32(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

class ApiError extends Error {
  constructor(method, path, status, body) {
    const detail = typeof body === 'object' && body ? (body.message ?? JSON.stringify(body)) : String(body);
    super(`${method} ${path} → ${status}: ${String(detail).slice(0, 300)}`);
    this.status = status;
  }
}

/** A small JSON client: bearer token, re-login on 401, retries on 429 (Retry-After) and 502/503/504. */
class Api {
  constructor(server, credentials, signal) {
    this.base = `${server.replace(/\/+$/, '')}/api/v1`;
    this.credentials = credentials;
    this.signal = signal;
    this.token = undefined;
    this.requests = 0;
    this.retries = 0;
  }

  async login() {
    const res = await this.raw('POST', '/auth/login', this.credentials, false);
    if (res.status !== 200 || !res.body?.accessToken) {
      throw new ApiError('POST', '/auth/login', res.status, res.body);
    }
    this.token = res.body.accessToken;
  }

  /** The response, whatever its status (after retries of transient failures). */
  async raw(method, path, body, auth = true) {
    for (let attempt = 0; ; attempt++) {
      if (this.signal?.aborted) throw new Error('seed-demo: aborted');
      let res;
      try {
        this.requests += 1;
        const response = await fetch(this.base + path, {
          method,
          headers: {
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(auth && this.token ? { authorization: `Bearer ${this.token}` } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          signal: AbortSignal.any([
            AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            ...(this.signal ? [this.signal] : []),
          ]),
        });
        const text = await response.text();
        let parsed = text;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          // not JSON: keep the text
        }
        res = { status: response.status, body: parsed, retryAfter: response.headers.get('retry-after') };
      } catch (error) {
        if (this.signal?.aborted || attempt >= MAX_RETRIES) throw error;
        this.retries += 1;
        await sleep(500 * 2 ** attempt);
        continue;
      }
      if (res.status === 401 && auth && attempt === 0) {
        await this.login();
        continue;
      }
      if ([429, 502, 503, 504].includes(res.status) && attempt < MAX_RETRIES) {
        this.retries += 1;
        const wait = res.status === 429 && Number(res.retryAfter) > 0 ? Number(res.retryAfter) * 1000 : 0;
        await sleep(Math.max(wait, 500 * 2 ** attempt));
        continue;
      }
      return res;
    }
  }

  /** The body of a response with one of the expected statuses; anything else throws. */
  async call(method, path, body, expected = [200, 201]) {
    const res = await this.raw(method, path, body);
    if (!expected.includes(res.status)) throw new ApiError(method, path, res.status, res.body);
    return res;
  }
}

/** What a run is sent as (the API's fields only). */
function runMeta(run) {
  const { project, runId, name, branch, commit, environment, startedAt } = run;
  return { project, runId, name, branch, commit, environment, startedAt };
}

/** One run: whole, or streamed (start, batches, finish). → 'stored' | 'existing' | 'conflict' */
async function postRun(api, run) {
  if (hash32(run.runId) % STREAM_EVERY !== 0) {
    const res = await api.call(
      'POST',
      '/executions',
      { ...runMeta(run), finishedAt: run.finishedAt, results: run.results },
      [200, 201, 409],
    );
    return res.status === 201 ? 'stored' : res.status === 200 ? 'existing' : 'conflict';
  }
  // A finished streamed run cannot be opened again: look first (a run still open is resumed).
  const path = `/executions/${encodeURIComponent(run.runId)}`;
  const query = `?project=${encodeURIComponent(run.project)}`;
  const found = await api.call('GET', path + query, undefined, [200, 404]);
  if (found.status === 200 && found.body.status !== 'running') return 'existing';
  const opened = await api.call(
    'POST',
    '/executions',
    { ...runMeta(run), status: 'running' },
    [200, 201, 409],
  );
  if (opened.status === 409) return 'conflict';
  for (let i = 0, batch = 0; i < run.results.length; i += STREAM_BATCH, batch++) {
    await api.call('POST', `${path}/results`, {
      project: run.project,
      batch,
      results: run.results.slice(i, i + STREAM_BATCH),
    });
  }
  await api.call('POST', `${path}/finish`, { project: run.project, finishedAt: run.finishedAt });
  return found.status === 200 ? 'existing' : 'stored';
}

/**
 * Seeds the demo history. Runs of one project are sent in time order, one at a time (the platform
 * counts a test's status flips in the order of the runs); different projects go concurrently.
 */
export async function seedDemo(options = {}) {
  const started = Date.now();
  const log = options.log ?? ((line) => console.log(`seed-demo: ${line}`));
  const { generateHistory } = loadDemoData();
  // A seed of digits is a number, so that DEMO_SEED=7 and seed 7 are the same history.
  const seed = /^\d+$/.test(String(options.seed ?? ''))
    ? Number(options.seed)
    : options.seed || DEMO_DEFAULTS.seed;
  const history = generateHistory({
    seed,
    days: options.days ?? DEMO_DEFAULTS.days,
    scale: options.scale ?? DEMO_DEFAULTS.scale,
    endDate: options.endDate ?? new Date(),
    ...(options.projects ? { projects: options.projects } : {}),
  });
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEMO_DEFAULTS.concurrency));
  let plannedRuns = 0;
  let plannedResults = 0;
  for (const plan of history.plan()) {
    plannedRuns += 1;
    plannedResults += plan.tests;
  }
  log(
    `seed ${history.seed}, ${history.days} days to ${history.end.slice(0, 16)}Z, scale ${history.scale}: ` +
      `${history.projects.length} projects, ${fmt(history.tests.length)} tests, ${fmt(plannedRuns)} runs, ` +
      `${fmt(plannedResults)} results → ${options.server}`,
  );

  const api = new Api(
    options.server,
    { username: options.username, password: options.password },
    options.signal,
  );
  await api.login();

  const counts = { projectsNew: 0, usersNew: 0, stored: 0, existing: 0, conflict: 0, failed: 0, results: 0 };
  for (const project of history.projects) {
    const res = await api.call('POST', '/projects', { key: project.key, name: project.name }, [201, 409]);
    if (res.status === 201) counts.projectsNew += 1;
  }
  for (const user of DEMO_USERS) {
    const res = await api.call('POST', '/users', { ...user, password: DEMO_PASSWORD }, [201, 409]);
    if (res.status === 201) counts.usersNew += 1;
    for (const project of history.projects) {
      await api.call('PUT', `/projects/${project.key}/members/${user.username}`, undefined, [200, 201]);
    }
  }

  // Runs: pulled lazily from the history; per project in order; at most `concurrency` in flight.
  const iterator = history.runs()[Symbol.iterator]();
  const queues = new Map(history.projects.map((p) => [p.key, []]));
  const busy = new Set();
  let buffered = 0;
  let exhausted = false;
  let inFlight = 0;
  let done = 0;
  let lastReport = Date.now();
  const errors = [];

  await new Promise((finish, fail) => {
    const pump = () => {
      if (options.signal?.aborted) return fail(new Error('seed-demo: aborted'));
      for (;;) {
        if (inFlight >= concurrency) break;
        const project = [...queues.keys()].find((key) => !busy.has(key) && queues.get(key).length > 0);
        if (project) {
          const run = queues.get(project).shift();
          buffered -= 1;
          busy.add(project);
          inFlight += 1;
          postRun(api, run)
            .then((outcome) => {
              counts[outcome] += 1;
              if (outcome !== 'conflict') counts.results += run.results.length;
            })
            .catch((error) => {
              counts.failed += 1;
              if (errors.length < 5) errors.push(`${run.project} ${run.runId}: ${error.message}`);
            })
            .finally(() => {
              busy.delete(project);
              inFlight -= 1;
              done += 1;
              if (Date.now() - lastReport > 5000 || done === plannedRuns) {
                lastReport = Date.now();
                const secs = (Date.now() - started) / 1000;
                log(
                  `${fmt(done)}/${fmt(plannedRuns)} runs (${Math.round((100 * done) / plannedRuns)} %), ` +
                    `${fmt(counts.results)} results, ${secs.toFixed(1)} s`,
                );
              }
              pump();
            });
          continue;
        }
        // Nothing startable: read ahead a little (bounded), or finish when all is done.
        if (!exhausted && buffered < concurrency * 4) {
          const next = iterator.next();
          if (next.done) exhausted = true;
          else {
            queues.get(next.value.project).push(next.value);
            buffered += 1;
          }
          continue;
        }
        break;
      }
      if (exhausted && buffered === 0 && inFlight === 0) finish();
    };
    pump();
  });

  const seconds = (Date.now() - started) / 1000;
  const summary = {
    ...counts,
    projects: history.projects.length,
    users: DEMO_USERS.length,
    runs: done,
    seconds,
    requests: api.requests,
    retries: api.retries,
    errors,
  };
  for (const error of errors) log(`failed: ${error}`);
  if (counts.conflict > 0) {
    log(
      `${counts.conflict} run(s) already stored with other content (a history of another seed, scale or day): ` +
        'use an empty database or another DEMO_SEED for a clean demo',
    );
  }
  log(
    `done in ${seconds.toFixed(1)} s: ${summary.projects} projects (${counts.projectsNew} new), ` +
      `${summary.users} users (${counts.usersNew} new, password ${DEMO_PASSWORD}), ${fmt(done)} runs ` +
      `(${fmt(counts.stored)} stored, ${fmt(counts.existing)} already there, ${fmt(counts.conflict)} conflicts, ` +
      `${fmt(counts.failed)} failed), ${fmt(counts.results)} results (${fmt(Math.round(counts.results / seconds))}/s)`,
  );
  return summary;
}

function numberFrom(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got '${text}'`);
  return value;
}

async function main() {
  const server = process.env.TESTPULSE_SERVER || `http://127.0.0.1:${process.env.GATEWAY_PORT || 3000}`;
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  try {
    const summary = await seedDemo({
      server,
      username: process.env.TESTPULSE_USER || 'admin',
      password: process.env.TESTPULSE_PASSWORD || 'testpulse-admin',
      seed: process.env.DEMO_SEED,
      days: numberFrom('DEMO_DAYS', DEMO_DEFAULTS.days),
      scale: numberFrom('DEMO_SCALE', DEMO_DEFAULTS.scale),
      concurrency: numberFrom('DEMO_CONCURRENCY', DEMO_DEFAULTS.concurrency),
      ...(process.env.DEMO_END ? { endDate: process.env.DEMO_END } : {}),
      signal: abort.signal,
    });
    process.exitCode = summary.failed > 0 ? 1 : 0;
  } catch (error) {
    console.error(`seed-demo: ${error.message}`);
    if (/ECONNREFUSED|fetch failed/.test(`${error.message} ${error.cause?.code ?? ''}`)) {
      console.error(`seed-demo: is TestPulse running at ${server}? (npm start)`);
    }
    process.exitCode = 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
