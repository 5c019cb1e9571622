import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Socket } from 'node:net';
import { describeFetchError } from './api';
import { FLEET_APPS, SERVICE_APPS, isServiceApp, resolveFleetApps, type FleetApp } from './apps';
import { buildAppEnv } from './env';
import { LineSplitter, TailBuffer, formatTail } from './log-lines';
import { isPortFree, pickFreePorts } from './ports';

export interface FleetOptions {
  /** Variables for every app; REDIS_URL and MONGO_URL are required (MONGO_DB_PREFIX, LOG_LEVEL, JWT_SECRET...). */
  env: Record<string, string>;
  /** Apps to start (default: all nine). Without all eight services the gateway counts as ready on /health/ready. */
  apps?: readonly FleetApp[];
  /** Gateway port (default: a free port). */
  gatewayPort?: number;
  /** Fixed ports per app (GATEWAY_PORT / HEALTH_PORT); every other app gets a free port. */
  ports?: Partial<Record<FleetApp, number>>;
  /** Each app's stdout and stderr go to `<logDir>/<app>.log` (appended; created if missing). */
  logDir: string;
  /** Deadline of start() and of each restart() (default 45 s, below the 60 s e2e test timeout). */
  readyTimeoutMs?: number;
  /** Repository root holding dist/ (default: found from this file, else the working directory). */
  rootDir?: string;
  /** Every output line of every app, as it arrives (for streaming logs to a terminal). */
  onOutput?: (app: FleetApp, line: string, stream: 'stdout' | 'stderr') => void;
  /** An app exited without kill(), restart() or stop() asking it to. */
  onExit?: (exit: AppExit) => void;
  /** Aborting makes a pending start() stop what it started and fail. */
  signal?: AbortSignal;
  /** Extra Node.js options for every app (e.g. `--cpu-prof`, which NODE_OPTIONS does not accept). */
  nodeArgs?: readonly string[];
}

export interface AppExit {
  app: FleetApp;
  code: number | null;
  signal: NodeJS.Signals | null;
}

const POLL_INTERVAL_MS = 100;
const PROBE_TIMEOUT_MS = 1000;
const STOP_GRACE_MS = 10_000;
const DEFAULT_READY_TIMEOUT_MS = 45_000;
const TAIL_LINES = 200;
const TAIL_LINES_IN_ERRORS = 30;

interface AppState {
  readonly app: FleetApp;
  readonly port: number;
  readonly logFile: string;
  readonly tail: TailBuffer;
  fd: number | undefined;
  child?: ChildProcess;
  /** Settles when the current child has exited and its output has been read to the end. */
  closed?: Promise<AppExit>;
  expectedExit: boolean;
  /** What the last readiness probe saw, for error messages. */
  lastProbe?: string;
}

// Safety nets: no app outlives this process. A process 'exit' hook covers ordinary exits outside Jest;
// the watchdog preloaded into each app covers the rest (see parent-watchdog.ts).
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllChildrenNow(): void {
  for (const child of liveChildren) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  process.on('exit', killAllChildrenNow);
  exitHookInstalled = true;
}

/** The nearest directory above `start` with nx.json and package.json, else the working directory. */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeExit({ code, signal }: AppExit): string {
  return code !== null ? `code ${code}` : `signal ${signal ?? 'unknown'}`;
}

/**
 * The nine apps as real child processes, started from dist/ (run `node scripts/build.mjs` first), each on
 * its own port and with its own log file. Always `await fleet.stop()` when done (e.g. in afterAll).
 */
export class Fleet {
  private readonly states = new Map<FleetApp, AppState>();
  private stopping?: Promise<void>;

  private constructor(
    private readonly root: string,
    private readonly options: FleetOptions,
    ports: ReadonlyMap<FleetApp, number>,
  ) {
    for (const [app, port] of ports) {
      const logFile = join(resolve(options.logDir), `${app}.log`);
      this.states.set(app, {
        app,
        port,
        logFile,
        tail: new TailBuffer(TAIL_LINES),
        fd: undefined,
        expectedExit: false,
      });
    }
  }

  /** Starts the apps and resolves once all are ready; on any failure stops what it started and rejects. */
  static async start(options: FleetOptions): Promise<Fleet> {
    const apps = resolveFleetApps(options.apps ?? FLEET_APPS);
    for (const key of ['REDIS_URL', 'MONGO_URL']) {
      if (!options.env[key]) throw new Error(`Fleet.start: options.env.${key} is required`);
    }
    const fixed = new Map<FleetApp, number>();
    for (const app of apps) {
      const port = app === 'gateway' ? (options.gatewayPort ?? options.ports?.gateway) : options.ports?.[app];
      if (port !== undefined) fixed.set(app, port);
    }
    if (new Set(fixed.values()).size !== fixed.size) {
      throw new Error(
        `Fleet.start: two apps were given the same port: ${JSON.stringify(Object.fromEntries(fixed))}`,
      );
    }
    const root = resolve(options.rootDir ?? findRepoRoot());
    const unbuilt = [Fleet.watchdog(root), ...apps.map((app) => Fleet.entryPoint(root, app))].filter(
      (file) => !existsSync(file),
    );
    if (unbuilt.length > 0) {
      throw new Error(`Fleet.start: not built: ${unbuilt.join(', ')} (run node scripts/build.mjs)`);
    }

    const taken: string[] = [];
    for (const [app, port] of fixed) if (!(await isPortFree(port))) taken.push(`${port} (${app})`);
    if (taken.length > 0) throw new Error(`Fleet.start: port(s) already in use: ${taken.join(', ')}`);
    const free = await pickFreePorts(apps.length - fixed.size, { exclude: fixed.values() });
    const ports = new Map(apps.map((app) => [app, fixed.get(app) ?? (free.shift() as number)]));

    mkdirSync(resolve(options.logDir), { recursive: true });
    installExitHook();
    const fleet = new Fleet(root, options, ports);
    try {
      for (const state of fleet.states.values()) {
        state.fd = openSync(state.logFile, 'a');
        fleet.spawn(state);
      }
      await fleet.waitReady(apps);
    } catch (error) {
      await fleet.stop();
      throw error;
    }
    return fleet;
  }

  private static entryPoint(root: string, app: FleetApp): string {
    return join(root, 'dist', 'apps', app, 'src', 'main.js');
  }

  private static watchdog(root: string): string {
    return join(root, 'dist', 'libs', 'testing', 'src', 'parent-watchdog.js');
  }

  /** The apps of this fleet, in FLEET_APPS order. */
  get apps(): FleetApp[] {
    return [...this.states.keys()];
  }

  /** e.g. `http://127.0.0.1:41235` (no trailing slash). */
  get gatewayUrl(): string {
    return this.url('gateway');
  }

  /** Base URL of an app's HTTP port (the gateway's API port, a service's health port). */
  url(app: FleetApp): string {
    return `http://127.0.0.1:${this.port(app)}`;
  }

  /** GATEWAY_PORT of the gateway, HEALTH_PORT of a service. */
  port(app: FleetApp): number {
    return this.state(app).port;
  }

  logFile(app: FleetApp): string {
    return this.state(app).logFile;
  }

  /** The last output lines (up to 200) of the app's current or last process. */
  logTail(app: FleetApp, lines = TAIL_LINES): string[] {
    return this.state(app).tail.lines(lines);
  }

  /** The process id of the app's current process, if it is running. */
  pid(app: FleetApp): number | undefined {
    return this.isRunning(app) ? this.state(app).child?.pid : undefined;
  }

  isRunning(app: FleetApp): boolean {
    const child = this.state(app).child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /**
   * Sends `signal` and waits until the process has exited; a process still running 10 s later gets
   * SIGKILL. Resolves with how it ended (also when it had already exited).
   */
  async kill(app: FleetApp, signal: NodeJS.Signals = 'SIGKILL'): Promise<AppExit | undefined> {
    return this.terminate(this.state(app), signal);
  }

  /**
   * Starts the app again on the same port (stopping it with SIGTERM first if it still runs) and waits until
   * it is ready; after a service, also until the gateway's /api/v1/health is 200 again when the gateway and
   * all eight services run.
   */
  async restart(app: FleetApp): Promise<void> {
    const state = this.state(app);
    if (this.stopping) throw new Error(`Fleet.restart(${app}): the fleet has been stopped`);
    await this.terminate(state, 'SIGTERM');
    this.spawn(state);
    const targets: FleetApp[] = [app];
    if (app !== 'gateway' && this.states.has('gateway') && this.isRunning('gateway')) {
      if (SERVICE_APPS.every((service) => this.states.has(service) && this.isRunning(service))) {
        targets.push('gateway');
      }
    }
    await this.waitReady(targets);
  }

  /** SIGTERM to every app, SIGKILL to any still running 10 s later; resolves when all have exited. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await Promise.all([...this.states.values()].map((state) => this.terminate(state, 'SIGTERM')));
      for (const state of this.states.values()) {
        if (state.fd !== undefined) closeSync(state.fd);
        state.fd = undefined;
      }
    })();
    return this.stopping;
  }

  private state(app: FleetApp): AppState {
    const state = this.states.get(app);
    if (!state) throw new Error(`App '${app}' is not part of this fleet (apps: ${this.apps.join(', ')})`);
    return state;
  }

  private spawn(state: AppState): void {
    state.tail.clear();
    state.expectedExit = false;
    state.lastProbe = undefined;
    const args = [
      '--enable-source-maps',
      ...(this.options.nodeArgs ?? []),
      '--require',
      Fleet.watchdog(this.root),
      Fleet.entryPoint(this.root, state.app),
    ];
    const child = spawn(process.execPath, args, {
      cwd: this.root,
      env: buildAppEnv(state.app, state.port, this.options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    liveChildren.add(child);
    state.child = child;
    this.record(
      state,
      'stdout',
      `[fleet] started ${state.app} (pid ${child.pid ?? '?'}, port ${state.port})`,
    );
    this.pipeLines(state, child.stdout as Socket, 'stdout');
    this.pipeLines(state, child.stderr as Socket, 'stderr');
    // The apps do not keep this process alive: a test run that forgot stop() still ends (and the
    // watchdog then stops the apps). Callers that only wait for the fleet must keep themselves alive.
    child.unref();
    state.closed = new Promise<AppExit>((resolveExit) => {
      const done = (code: number | null, signal: NodeJS.Signals | null) => {
        liveChildren.delete(child);
        const exit: AppExit = { app: state.app, code, signal };
        this.record(state, 'stdout', `[fleet] ${state.app} exited with ${describeExit(exit)}`);
        if (!state.expectedExit) this.options.onExit?.(exit);
        resolveExit(exit);
      };
      child.once('close', done);
      child.once('error', (error) => {
        // Only a failed spawn ends here: then no 'close' follows.
        if (child.pid !== undefined) return;
        this.record(state, 'stderr', `[fleet] could not start ${state.app}: ${error.message}`);
        done(null, null);
      });
    });
  }

  private pipeLines(state: AppState, stream: Socket, name: 'stdout' | 'stderr'): void {
    const splitter = new LineSplitter();
    stream.unref();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      for (const line of splitter.push(chunk)) this.record(state, name, line);
    });
    stream.on('end', () => {
      for (const line of splitter.flush()) this.record(state, name, line);
    });
  }

  private record(state: AppState, stream: 'stdout' | 'stderr', line: string): void {
    if (state.fd !== undefined) writeSync(state.fd, `${line}\n`);
    state.tail.push(line);
    this.options.onOutput?.(state.app, line, stream);
  }

  private async terminate(state: AppState, signal: NodeJS.Signals): Promise<AppExit | undefined> {
    const { child, closed } = state;
    if (!child || !closed) return undefined;
    if (child.exitCode === null && child.signalCode === null) {
      state.expectedExit = true;
      child.kill(signal);
      // The timer also keeps this process alive while it waits (the child and its pipes are unref'd).
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<true>((resolveGrace) => {
        timer = setTimeout(() => resolveGrace(true), STOP_GRACE_MS);
      });
      const timedOut = await Promise.race([closed.then(() => false), graceOver]);
      clearTimeout(timer);
      if (timedOut) child.kill('SIGKILL');
    }
    return closed;
  }

  /** Path that says the gateway is ready: the aggregate health when every service is in the fleet. */
  private gatewayReadyPath(): string {
    return SERVICE_APPS.every((service) => this.states.has(service)) ? '/api/v1/health' : '/health/ready';
  }

  private async probe(state: AppState, path: string): Promise<boolean> {
    try {
      const response = await fetch(`http://127.0.0.1:${state.port}${path}`, {
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
      });
      const text = await response.text();
      state.lastProbe = `GET ${path} → ${response.status}${response.status === 200 ? '' : ` ${text.slice(0, 300)}`}`;
      return response.status === 200;
    } catch (error) {
      state.lastProbe = `GET ${path} → ${describeFetchError(error)}`;
      return false;
    }
  }

  /**
   * Polls the services' /health/ready, then the gateway, every 100 ms until all answer 200. Fails at once
   * when one of them exits (or the start is aborted), and after readyTimeoutMs otherwise.
   */
  private async waitReady(apps: readonly FleetApp[]): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    const watched = apps.map((app) => this.state(app));
    let crash: AppExit | undefined;
    let aborted = false;
    const interrupted = new Promise<void>((resolveInterrupt) => {
      for (const state of watched) {
        void state.closed?.then((exit) => {
          crash ??= exit;
          resolveInterrupt();
        });
      }
      const signal = this.options.signal;
      if (signal) {
        const onAbort = () => {
          aborted = true;
          resolveInterrupt();
        };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
    });

    const pendingServices = new Set(watched.filter((state) => isServiceApp(state.app)));
    const gateway = watched.find((state) => state.app === 'gateway');
    let gatewayReady = gateway === undefined;
    for (;;) {
      if (aborted) throw new Error('Fleet start aborted');
      if (crash) {
        const state = this.state(crash.app);
        throw new Error(
          `Fleet: ${crash.app} exited with ${describeExit(crash)} before it was ready\n` +
            formatTail(crash.app, state.tail.lines(TAIL_LINES_IN_ERRORS), state.logFile),
        );
      }
      if (pendingServices.size > 0) {
        const round = Promise.all(
          [...pendingServices].map(async (state) => {
            if (await this.probe(state, '/health/ready')) pendingServices.delete(state);
          }),
        );
        await Promise.race([round, interrupted]);
      } else if (gateway && !gatewayReady) {
        gatewayReady = await Promise.race([
          this.probe(gateway, this.gatewayReadyPath()),
          interrupted.then(() => false),
        ]);
      }
      if (aborted || crash) continue;
      if (pendingServices.size === 0 && gatewayReady) return;
      if (Date.now() >= deadline) {
        const notReady = [...pendingServices];
        if (gateway && !gatewayReady) notReady.push(gateway);
        throw this.notReadyError(timeoutMs, notReady);
      }
      await Promise.race([sleep(POLL_INTERVAL_MS), interrupted]);
    }
  }

  private notReadyError(timeoutMs: number, notReady: readonly AppState[]): Error {
    const summary = notReady
      .map((state) => `${state.app} (${state.lastProbe ?? 'not probed yet: waiting for the services'})`)
      .join(', ');
    const tails = notReady
      .filter((state) => state.lastProbe !== undefined)
      .map((state) => formatTail(state.app, state.tail.lines(TAIL_LINES_IN_ERRORS), state.logFile));
    return new Error([`Fleet not ready after ${timeoutMs} ms. Not ready: ${summary}`, ...tails].join('\n'));
  }
}
