/**
 * A realistic, deterministic history of CI test runs for a few demo projects: several runs a day on
 * main, on short-lived feature branches, nightly and on a release branch; tests that are stable,
 * flaky, broken, fixed, slow, regressing or skipped; retries inside runs; clustered failures with
 * realistic messages and stacks; now and then an infrastructure outage that fails nearly every test.
 *
 * Everything follows from the seed (no Math.random, no clock unless `endDate` is left out). Runs are
 * produced lazily, one at a time in time order, so any number of days fits in bounded memory.
 */
import type { Attempt, ResultError, TestResult } from '@testpulse/domain';
import { buildCatalogue, DemoTest, TestLabel, TestModel, toDemoTest } from './catalogue';
import { assignClusters, clusterById, ErrorCluster, outageCluster } from './errors';
import { PROFILES, ProjectProfile, profileOf, type Language } from './profiles';
import { hashSeed, Rng } from './random';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

export interface GenerateHistoryOptions {
  /** Same seed (and options) → same history. Default 1. */
  seed?: number | string;
  /** Days of history, ending with the day of `endDate`. Default 21. */
  days?: number;
  /** The history ends here (runs after it are left out). Default: now. */
  endDate?: Date | string;
  /** Keys of the demo projects to include (default all: web-shop, payments-api, mobile-app). */
  projects?: readonly string[];
  /** Multiplies the number of tests per project (about 450 / 330 / 240 at 1). Default 1. */
  scale?: number;
}

export interface DemoProject {
  key: string;
  name: string;
  language: Language;
}

export type RunTrigger = 'push' | 'pull_request' | 'nightly' | 'release' | 'rerun';

/** A run without its results: what CI started, when and where. */
export interface DemoRunPlan {
  project: string;
  runId: string;
  name: string;
  branch: string;
  commit: string;
  environment: string;
  startedAt: string;
  trigger: RunTrigger;
  /** An infrastructure outage run: about 90 % of its tests fail with the same error. */
  outage: boolean;
  /** Results the run will have. */
  tests: number;
}

/** One run as the ingestion API takes it (plus `trigger` and `outage`, which are not API fields). */
export interface DemoRun extends Omit<DemoRunPlan, 'tests'> {
  finishedAt: string;
  results: TestResult[];
}

export interface DemoHistory {
  seed: number;
  days: number;
  scale: number;
  /** First instant (start of the first UTC day) and the end of the history, ISO. */
  start: string;
  end: string;
  projects: DemoProject[];
  /** Every test of every project with its behaviour (the ground truth). */
  tests: DemoTest[];
  /** testId → label, for accuracy benchmarks. */
  labels: ReadonlyMap<string, TestLabel>;
  /** The runs without results, in time order (cheap: for counting and progress). */
  plan(): Generator<DemoRunPlan>;
  /** The runs with results, in time order, generated one at a time. Each call starts afresh. */
  runs(): Generator<DemoRun>;
  [Symbol.iterator](): Generator<DemoRun>;
}

interface Branch {
  name: string;
  /** Jenkins job name of the branch (PR-412). */
  job: string;
  area: string;
  head: string;
  pushes: number;
  closesOnDay: number;
  /** Tests a work-in-progress change breaks on this branch, until push `untilPush`. */
  wip?: { tests: ReadonlySet<string>; untilPush: number };
}

interface ProjectState {
  profile: ProjectProfile;
  index: number;
  tests: TestModel[];
  rng: Rng;
  mainHead: string;
  releaseHead: string;
  branches: Branch[];
  nextTicket: number;
  nextPr: number;
  /** GitHub run number / GitLab pipeline id. */
  counter: number;
  /** Jenkins: last build number per job. */
  builds: Map<string, number>;
  outageDay: number;
  outageDone: boolean;
}

interface PlannedRun extends DemoRunPlan {
  atMs: number;
  /** Which tests run, and the branch-local breakage in force. */
  subset: 'all' | 'smoke';
  wip?: ReadonlySet<string>;
  workers: number;
  rerunOf?: PlannedRun;
  branchRef?: Branch;
  /** Sequence inside the day (stable tie-break). */
  seq: number;
  state: ProjectState;
}

function seedNumber(seed: number | string | undefined): number {
  if (seed === undefined) return 1;
  return typeof seed === 'number' && Number.isInteger(seed) ? seed >>> 0 : hashSeed(String(seed));
}

function publicMeta(run: PlannedRun): DemoRunPlan {
  const { project, runId, name, branch, commit, environment, startedAt, trigger, outage, tests } = run;
  return { project, runId, name, branch, commit, environment, startedAt, trigger, outage, tests };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const roundDuration = (ms: number) => (ms < 100 ? Math.round(ms * 10) / 10 : Math.round(ms));

export function generateHistory(options: GenerateHistoryOptions = {}): DemoHistory {
  const seed = seedNumber(options.seed);
  const days = Math.max(1, Math.floor(options.days ?? 21));
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error('generateHistory: scale must be > 0');
  const endMs = new Date(options.endDate ?? Date.now()).getTime();
  if (Number.isNaN(endMs))
    throw new Error(`generateHistory: endDate is not a date: ${String(options.endDate)}`);
  const startMs = Math.floor(endMs / DAY) * DAY - (days - 1) * DAY;
  const profiles = (options.projects ?? PROFILES.map((p) => p.key)).map(profileOf);
  const root = new Rng(hashSeed('testpulse-demo', seed));

  // Behaviour moments (breakages, fixes, regressions) depend on the days only, not on the time of day
  // of endDate: a history generated again later the same day has the same earlier runs.
  const windowEndMs = startMs + days * DAY;
  const catalogues = profiles.map((profile) => {
    const tests = buildCatalogue({
      profile,
      rng: root.fork('catalogue', profile.key),
      scale,
      startMs,
      endMs: windowEndMs,
    });
    for (const test of tests) assignClusters(test, root.fork('clusters', test.testId));
    return tests;
  });
  const allTests = catalogues.flat();

  function* plan(): Generator<PlannedRun> {
    const states: ProjectState[] = profiles.map((profile, index) => {
      const rng = root.fork('project', profile.key);
      return {
        profile,
        index,
        tests: catalogues[index],
        rng,
        mainHead: rng.hex(40),
        releaseHead: rng.hex(40),
        branches: [],
        nextTicket: rng.int(800, 4000),
        nextPr: rng.int(200, 1500),
        counter: profile.language === 'kotlin' ? rng.int(880_000, 990_000) : rng.int(4000, 9000),
        builds: new Map([
          ['main', rng.int(1200, 2400)],
          ['nightly', rng.int(300, 900)],
        ]),
        outageDay: Math.min(days - 1, Math.floor(days * (0.4 + 0.15 * index))),
        outageDone: false,
      };
    });
    for (let day = 0; day < days; day++) {
      const dayMs = startMs + day * DAY;
      const planned = states.flatMap((state) => planDay(state, day, dayMs));
      planned.sort((a, b) => a.atMs - b.atMs || a.state.index - b.state.index || a.seq - b.seq);
      for (const run of planned) {
        if (run.atMs >= endMs) continue;
        assignRunId(run);
        yield run;
      }
    }
  }

  function planDay(state: ProjectState, day: number, dayMs: number): PlannedRun[] {
    const { profile } = state;
    const rng = state.rng.fork('day', isoDay(dayMs));
    const weekday = new Date(dayMs).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const runs: PlannedRun[] = [];
    let seq = 0;
    const workHours = () => dayMs + rng.float(7.5, 18.5) * HOUR;
    const base = (at: number, branch: string, trigger: RunTrigger, subset: 'all' | 'smoke'): PlannedRun => ({
      project: profile.key,
      runId: '',
      name: '',
      branch,
      commit: '',
      environment: trigger === 'nightly' ? profile.environments.nightly : profile.environments.push,
      startedAt: new Date(at).toISOString(),
      trigger,
      outage: false,
      tests: 0,
      atMs: at,
      subset,
      workers: profile.workers,
      seq: seq++,
      state,
    });

    // Branches: merged ones go, new ones open (fewer at weekends).
    const merging = state.branches.filter((b) => b.closesOnDay <= day);
    state.branches = state.branches.filter((b) => b.closesOnDay > day);
    const opening = weekend ? (rng.chance(0.1) ? 1 : 0) : rng.chance(profile.openBranches / 3.5) ? 1 : 0;
    for (let i = 0; i < opening + (day === 0 ? profile.openBranches - 1 : 0); i++) {
      const area = rng.pick(profile.areas);
      const ticket = `${profile.ticket}-${state.nextTicket++}`;
      const subject = rng
        .pick(area.subjects)
        .replace(/([a-z])([A-Z])/g, '$1-$2')
        .toLowerCase();
      const prefix = rng.pick(['feature', 'feature', 'feature', 'fix', 'chore']);
      const branch: Branch = {
        name: `${prefix}/${ticket}-${subject.replace(/[^a-z0-9]+/g, '-')}`,
        job: `PR-${state.nextPr++}`,
        area: area.key,
        head: rng.hex(40),
        pushes: 0,
        closesOnDay: day + rng.int(2, 6),
      };
      if (rng.chance(0.35)) {
        const candidates = state.tests.filter(
          (t) => t.area.key === area.key && t.smoke && t.label !== 'skipped' && t.label !== 'broken',
        );
        const broken = rng.sample(candidates, rng.int(1, 3)).map((t) => t.testId);
        if (broken.length > 0) branch.wip = { tests: new Set(broken), untilPush: rng.int(1, 2) };
      }
      state.branches.push(branch);
    }

    // Nightly full run on main, before anyone pushes (on the last commit of the day before).
    const nightly = base(dayMs + 2 * HOUR + rng.float(0, 20) * MINUTE, 'main', 'nightly', 'all');
    nightly.commit = state.mainHead;
    runs.push(nightly);

    // Pushes to main (merges of finished branches among them).
    const mainPushes = Math.max(
      merging.length,
      weekend ? (rng.chance(0.25) ? 1 : 0) : Math.max(0, profile.mainPushesPerDay + rng.int(-1, 1)),
    );
    const pushes: PlannedRun[] = [];
    for (let i = 0; i < mainPushes; i++) pushes.push(base(workHours(), 'main', 'push', 'all'));
    for (const branch of state.branches) {
      const count = weekend
        ? rng.chance(0.15)
          ? 1
          : 0
        : Math.max(branch.pushes === 0 ? 1 : 0, rng.int(0, profile.branchPushesPerDay));
      for (let i = 0; i < count; i++) {
        const run = base(workHours(), branch.name, 'pull_request', 'smoke');
        run.branchRef = branch;
        pushes.push(run);
      }
    }
    if (profile.release && day % 2 === 1 && !weekend) {
      const run = base(dayMs + rng.float(11, 15) * HOUR, profile.release, 'release', 'all');
      if (rng.chance(0.3)) state.releaseHead = rng.hex(40);
      run.commit = state.releaseHead;
      runs.push(run);
    }

    // Commits follow time order. The first push from the outage day on (and now and then another)
    // hits an infrastructure outage.
    pushes.sort((a, b) => a.atMs - b.atMs);
    for (const run of pushes) {
      const branch = run.branchRef;
      if (branch) {
        branch.head = rng.hex(40);
        branch.pushes += 1;
        run.commit = branch.head;
        if (branch.wip && branch.pushes <= branch.wip.untilPush) run.wip = branch.wip.tests;
      } else {
        state.mainHead = rng.hex(40);
        run.commit = state.mainHead;
      }
      const outageDue = day >= state.outageDay && !state.outageDone;
      run.outage = outageDue || rng.chance(0.006);
      state.outageDone ||= outageDue;
      runs.push(run);
      // "Re-run jobs": always after an outage, sometimes otherwise (same commit, later).
      if (run.outage || rng.chance(0.05)) {
        const again = base(
          run.atMs + (run.outage ? rng.float(15, 40) : rng.float(20, 90)) * MINUTE,
          run.branch,
          'rerun',
          run.subset,
        );
        again.commit = run.commit;
        again.wip = run.wip;
        again.rerunOf = run;
        again.branchRef = run.branchRef;
        runs.push(again);
      }
    }
    for (const run of runs) {
      run.tests = run.subset === 'all' ? state.tests.length : state.tests.filter((t) => t.smoke).length;
    }
    return runs;
  }

  /** CI-like ids and names, numbered in time order. */
  function assignRunId(run: PlannedRun): void {
    const state = run.state;
    const { profile } = state;
    switch (profile.language) {
      case 'typescript': {
        const original = run.rerunOf;
        const number = original
          ? Number(original.runId.split('-')[1])
          : (state.counter += state.rng.int(1, 3));
        run.runId = `gha-${number}-${original ? 2 : 1}`;
        run.name =
          run.trigger === 'nightly'
            ? 'Nightly / full regression'
            : run.branch === 'main'
              ? 'CI / test (push)'
              : 'CI / test (pull_request)';
        break;
      }
      case 'java': {
        const job =
          run.trigger === 'nightly'
            ? 'nightly'
            : run.branch === 'main'
              ? 'main'
              : (run.branchRef?.job ?? run.branch.replace(/[^A-Za-z0-9.]+/g, '-'));
        const build = (state.builds.get(job) ?? 0) + 1;
        state.builds.set(job, build);
        run.runId = `jenkins-${profile.key}-${job}-${build}`;
        run.name = `${profile.key} » ${job} #${build}`;
        break;
      }
      case 'kotlin': {
        state.counter += state.rng.int(5, 900);
        run.runId = `gl-${state.counter}`;
        run.name =
          run.trigger === 'nightly'
            ? `Nightly #${state.counter} · Firebase Test Lab`
            : `Pipeline #${state.counter} · connectedCheck`;
        break;
      }
    }
  }

  function toRun(run: PlannedRun): DemoRun {
    const { state } = run;
    const rng = root.fork('run', run.project, run.runId);
    const workdir = rng.pick(state.profile.workdirs);
    const outage = outageCluster(state.profile.language);
    const results: TestResult[] = [];
    let busyMs = 0;
    for (const test of state.tests) {
      if (run.subset === 'smoke' && !test.smoke) continue;
      const result = resultOf(test, run, rng, workdir, outage);
      busyMs += result.durationMs + (result.attempts ?? []).reduce((sum, a) => sum + a.durationMs, 0);
      results.push(result);
    }
    const setupMs = rng.float(20, 90) * 1000;
    const { tests: _tests, ...meta } = publicMeta(run);
    return {
      ...meta,
      finishedAt: new Date(run.atMs + Math.round(setupMs + busyMs / run.workers)).toISOString(),
      results,
    };
  }

  function resultOf(
    test: TestModel,
    run: PlannedRun,
    rng: Rng,
    workdir: string,
    outage: ErrorCluster,
  ): TestResult {
    const result: TestResult = {
      suite: test.suite,
      name: test.name,
      file: test.file,
      status: 'passed',
      durationMs: 0,
      ...(test.tags.length > 0 ? { tags: test.tags } : {}),
    };
    if (test.label === 'skipped') {
      result.status = 'skipped';
      return result;
    }
    const at = run.atMs;
    const slowdown =
      test.regressionAtMs !== undefined && at >= test.regressionAtMs
        ? 1 +
          ((test.regressionFactor ?? 1) - 1) *
            Math.min(1, test.regressionRampMs ? (at - test.regressionAtMs) / test.regressionRampMs : 1)
        : 1;
    const usual = () => roundDuration(rng.logNormal(test.medianMs * slowdown, test.sigma));

    let cluster: ErrorCluster | undefined;
    let failRate = 1;
    if (run.outage && rng.chance(0.9)) cluster = outage;
    else if (
      (test.brokenAtMs !== undefined && at >= test.brokenAtMs) ||
      (test.fixedAtMs !== undefined && at < test.fixedAtMs) ||
      run.wip?.has(test.testId)
    ) {
      cluster = clusterById(test.brokenCluster as string);
    } else if (test.label === 'flaky') {
      cluster = clusterById(test.flakyCluster as string);
      failRate = test.failRate ?? 0;
    }
    if (!cluster) {
      result.durationMs = usual();
      return result;
    }
    const attempts: Attempt[] = [];
    for (let attempt = 0; attempt <= test.retries; attempt++) {
      if (!rng.chance(failRate)) {
        result.durationMs = usual();
        break;
      }
      const error: ResultError = cluster.make({ rng, test, workdir, at: new Date(at + attempt * MINUTE) });
      const durationMs = roundDuration(cluster.durationMs ? cluster.durationMs(rng) : usual());
      if (attempt < test.retries) {
        attempts.push({ status: cluster.status, durationMs, message: (error.message ?? '').split('\n')[0] });
      } else {
        result.status = cluster.status;
        result.durationMs = durationMs;
        result.error = error;
      }
    }
    if (attempts.length > 0) result.attempts = attempts;
    return result;
  }

  function* publicPlan(): Generator<DemoRunPlan> {
    for (const run of plan()) yield publicMeta(run);
  }

  function* runs(): Generator<DemoRun> {
    for (const run of plan()) yield toRun(run);
  }

  return {
    seed,
    days,
    scale,
    start: new Date(startMs).toISOString(),
    end: new Date(endMs).toISOString(),
    projects: profiles.map((p) => ({ key: p.key, name: p.name, language: p.language })),
    tests: allTests.map(toDemoTest),
    labels: new Map(allTests.map((t) => [t.testId, t.label])),
    plan: publicPlan,
    runs,
    [Symbol.iterator]: runs,
  };
}
