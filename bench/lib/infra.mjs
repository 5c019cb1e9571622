// What the benchmarks share: their own FerretDB and Redis (never a running dev fleet's), the dist/
// modules they load, and small helpers. Each benchmark runs a fleet of its own on free ports.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/** Loads built modules (dist/…), or exits naming the one missing. */
export function loadBuilt(bench, files) {
  const loaded = {};
  for (const [name, parts] of Object.entries(files)) {
    const file = join(root, 'dist', ...parts);
    if (!existsSync(file)) {
      console.error(`${bench}: ${relative(root, file)} is missing: run node scripts/build.mjs first`);
      process.exit(1);
    }
    loaded[name] = require(file);
  }
  return loaded;
}

const { Fleet, SERVICE_APPS, pickFreePorts } = loadBuilt('bench', {
  testing: ['libs', 'testing', 'src', 'index.js'],
}).testing;
const mongoose = require('mongoose');

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
export const fmt = (n, digits = 0) =>
  Number(n).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** A positive number from the environment, or `fallback`; exits naming a bad value. */
export function positive(bench, name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${bench}: ${name} must be a positive number, got '${text}'`);
    process.exit(1);
  }
  return value;
}

/** The p-th quantile (0..1) of sorted numbers, nearest rank; NaN when there are none. */
export function quantile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

/** The MongoDB server: BENCH_MONGO_URL, or a private FerretDB like the dev one (same binary and flags). */
export async function mongoServer(dataDir) {
  if (process.env.BENCH_MONGO_URL) return { url: process.env.BENCH_MONGO_URL, stop: async () => undefined };
  const install = spawnSync('bash', ['scripts/infra/install-ferretdb.sh'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const bin = install.stdout?.trim().split('\n').pop();
  if (install.status !== 0 || !bin) throw new Error('scripts/infra/install-ferretdb.sh failed');
  const [port, debugPort] = await pickFreePorts(2);
  const dir = join(dataDir, 'ferretdb');
  mkdirSync(join(dir, 'sqlite'), { recursive: true });
  mkdirSync(join(dir, 'state'), { recursive: true });
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/sqlite/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      `--state-dir=${dir}/state`,
      '--telemetry=disable',
      '--log-level=error',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, FERRETDB_TELEMETRY: 'disable', DO_NOT_TRACK: '1' },
    },
  );
  const url = `mongodb://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`FerretDB exited with code ${child.exitCode}`);
    const connection = await mongoose
      .createConnection(url, { serverSelectionTimeoutMS: 500 })
      .asPromise()
      .catch(() => undefined);
    if (connection) {
      await connection.close();
      break;
    }
    if (i >= 60) throw new Error(`FerretDB did not open ${url}`);
    await sleep(250);
  }
  return {
    url,
    private: true,
    pid: child.pid,
    dir,
    /** Stops the server; its files are removed unless `keepFiles`. */
    stop: async (keepFiles = false) => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(10_000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (!keepFiles) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway redis-server on a free loopback port (no persistence); stop() ends it. */
export async function privateRedis() {
  if (process.env.BENCH_REDIS_URL) return { url: process.env.BENCH_REDIS_URL, stop: async () => undefined };
  const [port] = await pickFreePorts(1);
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
    { stdio: 'ignore' },
  );
  await new Promise((ready, fail) => {
    child.once('error', (error) =>
      fail(new Error(`redis-server could not start (${error.message}): run scripts/infra/up.sh once`)),
    );
    child.once('spawn', ready);
  });
  for (let i = 0; i < 100; i++) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout?.trim() === 'PONG') break;
    await sleep(100);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    },
  };
}

/** Drops the fleet's databases `<prefix>_<app>` and `extra` ones; each drop gives up after 60 s. */
export async function dropDatabases(url, prefix, extra = []) {
  const names = [...SERVICE_APPS.map((s) => `${prefix}_${s.replace(/-/g, '_')}`), ...extra];
  const connection = await mongoose.createConnection(url, { serverSelectionTimeoutMS: 5000 }).asPromise();
  const failed = [];
  try {
    for (const name of names) {
      const drop = connection.useDb(name, { useCache: false }).dropDatabase();
      const outcome = await Promise.race([drop.then(() => 'ok'), sleep(60_000).then(() => 'timeout')]).catch(
        (error) => error.message,
      );
      if (outcome !== 'ok') failed.push(`${name} (${outcome})`);
    }
  } finally {
    await connection.close();
  }
  return { names, failed };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command: utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** CPU seconds used between two readings, by the processes that used at least `least` seconds (default half a second). */
export function cpuDelta(before, after, least = 0.5) {
  return [...after.entries()]
    .map(([name, value]) => [name, value - (before.get(name) ?? 0)])
    .filter(([, used]) => Number.isFinite(used) && used >= least)
    .sort((a, b) => b[1] - a[1]);
}

/** CPU seconds each process (the apps, a private FerretDB and Redis, this client) has used so far. */
export function cpuReading(fleet, mongo, redis = {}) {
  const pids = new Map(fleet.apps.map((app) => [app, fleet.pid(app)]));
  if (mongo.pid) pids.set('ferretdb', mongo.pid);
  if (redis.pid) pids.set('redis', redis.pid);
  const values = new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
  const own = process.cpuUsage();
  values.set('benchmark client', (own.user + own.system) / 1e6);
  return values;
}

/**
 * Runs `body` with a fleet of its own: a private FerretDB (or BENCH_MONGO_URL) and Redis, every app
 * (BENCH_LOG_LEVEL, logs in .data/bench/<prefix>/; BENCH_CPU_PROFILE=<dir>: each app writes a V8 CPU
 * profile there when it stops), an admin `admin`, rate limits out of the way. `body` gets the fleet,
 * its env and servers, and `addGateway()` for another gateway instance on the same servers. All is
 * stopped afterwards, also on SIGINT/SIGTERM; databases on a server of one's own are dropped.
 */
export async function withBenchFleet({ prefix, admin, env: extraEnv = {}, log }, body) {
  const logDir = join(root, '.data', 'bench', prefix);
  const mongo = await mongoServer(logDir);
  const redis = await privateRedis();
  log(
    `${mongo.private ? 'private FerretDB' : 'MongoDB'} ${mongo.url}, private Redis ${redis.url}, logs ${relative(root, logDir)}/`,
  );
  const fleets = [];
  const stopAll = async () => {
    for (const fleet of fleets.reverse()) await fleet.stop();
    await redis.stop();
    if (!mongo.private) await dropDatabases(mongo.url, prefix).catch(() => undefined);
    await mongo.stop();
  };
  const onSignal = () => {
    log('interrupted: stopping the fleet');
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    REDIS_URL: redis.url,
    MONGO_URL: mongo.url,
    MONGO_DB_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    ADMIN_USERNAME: admin.username,
    ADMIN_PASSWORD: admin.password,
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
    ...extraEnv,
  };
  const nodeArgs = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROFILE)}`]
    : [];
  try {
    const fleet = await Fleet.start({ env, logDir, readyTimeoutMs: 120_000, nodeArgs });
    fleets.push(fleet);
    const addGateway = async () => {
      const gateway = await Fleet.start({
        env,
        logDir: join(logDir, `gateway-${fleets.length + 1}`),
        apps: ['gateway'],
        readyTimeoutMs: 120_000,
        nodeArgs,
      });
      fleets.push(gateway);
      return gateway;
    };
    return await body({ fleet, env, mongo, redis, logDir, addGateway });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await stopAll();
  }
}
