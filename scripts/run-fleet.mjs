// Runs the nine apps for `npm start` (scripts/start.sh has started Redis + FerretDB and built dist/) with
// the Fleet of the testing harness (dist/libs/testing): each app on its usual port, its output streamed
// here prefixed with its name and kept in .data/dev/logs/<app>.log. Ctrl-C or SIGTERM stops every app
// gracefully, then exits 0.
//
// Environment: REDIS_URL and MONGO_URL (required); GATEWAY_PORT (default 3000); HOST (default 127.0.0.1,
// HOST=0.0.0.0 exposes the apps on the network); FLEET_LOG_FORMAT=json prints the raw JSON log lines;
// anything else (LOG_LEVEL, JWT_SECRET, ADMIN_USERNAME...) is passed on to the apps.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const harnessPath = join(root, 'dist', 'libs', 'testing', 'src', 'index.js');
if (!existsSync(harnessPath)) {
  console.error(`run-fleet: ${relative(root, harnessPath)} is missing: run node scripts/build.mjs first`);
  process.exit(1);
}
const { Fleet, FLEET_APPS, DEFAULT_PORTS } = createRequire(import.meta.url)(harnessPath);

for (const name of ['REDIS_URL', 'MONGO_URL']) {
  if (!process.env[name]) {
    console.error(`run-fleet: ${name} is not set (npm start sets it from .data/dev/infra.env)`);
    process.exit(1);
  }
}

const nodeEnv = process.env.NODE_ENV || 'development';
const gatewayPort = Number(process.env.GATEWAY_PORT || DEFAULT_PORTS.gateway);
const logDir = join(root, '.data', 'dev', 'logs');

// --- terminal output -----------------------------------------------------------------------------------

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const APP_COLORS = [36, 32, 33, 35, 34, 96, 92, 93, 95];
const nameWidth = Math.max(...FLEET_APPS.map((app) => app.length));
const prefixes = new Map(
  FLEET_APPS.map((app, i) => [app, paint(APP_COLORS[i % APP_COLORS.length], app.padEnd(nameWidth)) + ' │ ']),
);
const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const LEVEL_COLORS = { TRACE: 90, DEBUG: 90, INFO: 32, WARN: 33, ERROR: 31, FATAL: 41 };
const OMITTED = new Set(['level', 'time', 'pid', 'hostname', 'service', 'msg', 'context', 'err']);

/** A pino JSON line as `12:00:01 INFO  [context] message {other fields}`; anything else as is. */
function pretty(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (typeof entry !== 'object' || entry === null || !('msg' in entry || 'level' in entry)) return line;
  const label =
    typeof entry.level === 'number'
      ? (LEVELS[entry.level] ?? String(entry.level))
      : String(entry.level).toUpperCase();
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !OMITTED.has(key)));
  const parts = [
    paint(90, time),
    paint(LEVEL_COLORS[label] ?? 0, label.padEnd(5)),
    entry.context ? paint(90, `[${entry.context}]`) : '',
    entry.msg ?? '',
    Object.keys(rest).length > 0 ? paint(90, JSON.stringify(rest)) : '',
  ];
  const text = parts.filter(Boolean).join(' ');
  return entry.err?.stack ? `${text}\n${entry.err.stack}` : text;
}

const format = process.env.FLEET_LOG_FORMAT === 'json' ? (line) => line : pretty;

function print(app, text) {
  const prefix = prefixes.get(app) ?? `${app} │ `;
  process.stdout.write(
    text
      .split('\n')
      .map((line) => prefix + line)
      .join('\n') + '\n',
  );
}

function banner(lines) {
  const rule = paint(90, '─'.repeat(78));
  process.stdout.write(`${rule}\n${lines.join('\n')}\n${rule}\n`);
}

// --- lifecycle -----------------------------------------------------------------------------------------

const startAbort = new AbortController();
let fleet;
let stopping = false;
let firstSignalAt = 0;
// The apps do not keep this process alive (the harness unrefs them); this timer does, until the stop.
const keepAlive = setInterval(() => undefined, 1 << 30);

async function shutdown(signal) {
  if (stopping) {
    // npm forwards the terminal's SIGINT too: only a repeat well after the first one means "force".
    if (Date.now() - firstSignalAt < 2000) return;
    console.log(`run-fleet: ${signal} again: killing the apps now`);
    process.exit(1); // the harness's exit hook SIGKILLs every app
  }
  stopping = true;
  firstSignalAt = Date.now();
  console.log(`\nrun-fleet: ${signal}: stopping the apps (up to 10 s; ${signal} again kills them)`);
  if (!fleet) {
    startAbort.abort(); // the pending start stops what it started and fails; handled below
    return;
  }
  await fleet.stop();
  console.log('run-fleet: all apps stopped');
  clearInterval(keepAlive);
  process.exit(0);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void shutdown(signal));

const adminUser = process.env.ADMIN_USERNAME || 'admin';
const adminPassword = process.env.ADMIN_PASSWORD ? '<your ADMIN_PASSWORD>' : 'testpulse-admin';

console.log(
  `run-fleet: starting ${FLEET_APPS.length} apps (NODE_ENV=${nodeEnv}); logs also in ${relative(root, logDir)}/<app>.log ` +
    '(LOG_LEVEL=warn npm start prints less)',
);
try {
  fleet = await Fleet.start({
    env: {
      REDIS_URL: process.env.REDIS_URL,
      MONGO_URL: process.env.MONGO_URL,
      NODE_ENV: nodeEnv,
      ...(process.env.HOST ? { HOST: process.env.HOST } : {}),
    },
    ports: { ...DEFAULT_PORTS, gateway: gatewayPort },
    logDir,
    readyTimeoutMs: 90_000,
    signal: startAbort.signal,
    onOutput: (app, line) => print(app, format(line)),
    onExit: ({ app, code, signal }) => {
      if (stopping) return;
      const how = code !== null ? `code ${code}` : `signal ${signal}`;
      console.log(
        paint(31, `run-fleet: ${app} exited with ${how}; the other apps keep running. `) +
          `Its log: ${relative(root, join(logDir, `${app}.log`))}. Ctrl-C and npm start again to restart it.`,
      );
    },
  });
} catch (error) {
  clearInterval(keepAlive);
  if (startAbort.signal.aborted) {
    console.log('run-fleet: start cancelled, all apps stopped');
    process.exit(0);
  }
  const hint = /already in use/.test(error.message)
    ? ' (is another npm start running? `ss -ltnp` shows which process holds it)'
    : '';
  console.error(`\nrun-fleet: the fleet did not start${hint}:\n${error.message}`);
  process.exit(1);
}

const base = `http://localhost:${gatewayPort}`;
banner([
  paint(1, `TestPulse is running: ${FLEET_APPS.length} apps, NODE_ENV=${nodeEnv}`),
  `  API         ${base}/api/v1`,
  `  API docs    ${base}/api/docs`,
  `  Health      ${base}/api/v1/health`,
  nodeEnv === 'development'
    ? `  Admin       ${adminUser} / ${adminPassword}  (development login, created on the first start)`
    : `  Admin       the ADMIN_USERNAME / ADMIN_PASSWORD the first start used`,
  `  Logs        ${relative(root, logDir)}/<app>.log`,
  'Ctrl-C stops the apps. Redis and FerretDB keep running: npm run infra:down stops them.',
]);

// --- demo data -----------------------------------------------------------------------------------------
// On the first start (no project yet) a few weeks of realistic demo history are sent through the API
// (scripts/seed-demo.mjs) while the apps already serve. SEED_DEMO=0 disables it; DEMO_DAYS, DEMO_SCALE,
// DEMO_SEED and DEMO_CONCURRENCY change it (defaults: DEMO_DEFAULTS there).

async function seedDemoIfEmpty() {
  if (process.env.SEED_DEMO === '0') return console.log('demo data: skipped (SEED_DEMO=0)');
  const password = process.env.ADMIN_PASSWORD || (nodeEnv === 'development' ? 'testpulse-admin' : undefined);
  if (!password) return console.log('demo data: skipped (no ADMIN_PASSWORD to log in with)');
  const server = `http://127.0.0.1:${gatewayPort}`;
  const api = (path, body, token) =>
    fetch(`${server}/api/v1${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  try {
    const login = await api('/auth/login', { username: adminUser, password });
    if (login.status !== 200) {
      return console.log(`demo data: skipped (cannot log in as ${adminUser}: ${login.status})`);
    }
    const { accessToken } = await login.json();
    const projects = await api('/projects?pageSize=1', undefined, accessToken);
    if (projects.status !== 200)
      return console.log(`demo data: skipped (GET /projects → ${projects.status})`);
    const { total } = await projects.json();
    if (total > 0) return console.log('demo data: skipped (database not empty)');
    const { seedDemo, DEMO_DEFAULTS } = await import('./seed-demo.mjs');
    const number = (name, fallback) => (Number(process.env[name]) > 0 ? Number(process.env[name]) : fallback);
    const days = number('DEMO_DAYS', DEMO_DEFAULTS.days);
    const scale = number('DEMO_SCALE', DEMO_DEFAULTS.scale);
    const concurrency = number('DEMO_CONCURRENCY', DEMO_DEFAULTS.concurrency);
    console.log(
      paint(1, `demo data: empty database: adding ${days} days of demo history (SEED_DEMO=0 skips this)`),
    );
    const summary = await seedDemo({
      server,
      username: adminUser,
      password,
      days,
      scale,
      concurrency,
      seed: process.env.DEMO_SEED,
      log: (line) => console.log(paint(1, `demo data: ${line}`)),
    });
    console.log(
      paint(
        1,
        `demo data: ready in ${summary.seconds.toFixed(1)} s: projects web-shop, payments-api, mobile-app; ` +
          'users qa.alice, tm.bob, lead.carol, po.dave (password demo-password)',
      ),
    );
  } catch (error) {
    if (stopping) return;
    console.log(
      paint(33, `demo data: seeding stopped: ${error.message}`) +
        ' (the apps keep running; npm run seed:demo finishes it)',
    );
  }
}

await seedDemoIfEmpty();
