import { failureFingerprint, isFlaky, testId } from '@testpulse/domain';
import type { TestResult } from '@testpulse/domain';
import { DemoRun, generateHistory } from './history';
import { TEST_LABELS } from './catalogue';

const END = '2026-11-27T15:00:00Z';
/** The run id rule of the ingestion API (RUN_ID_RULE in @testpulse/contracts). */
const RUN_ID_RULE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const failing = (r: TestResult) => r.status === 'failed' || r.status === 'errored';

describe('generateHistory', () => {
  // One full default history (3 projects, 21 days, about 1000 tests), generated once for the checks.
  const history = generateHistory({ seed: 42, endDate: END });
  const runs: DemoRun[] = [...history.runs()];
  const tests = new Map(history.tests.map((t) => [t.testId, t]));
  const keyOf = (run: DemoRun, r: TestResult) => testId(run.project, r.suite, r.name, r.file);

  /** Every result of a test with the run it belongs to, in time order. */
  function executions(filter: (run: DemoRun) => boolean = () => true) {
    const byTest = new Map<string, Array<{ run: DemoRun; result: TestResult }>>();
    for (const run of runs.filter(filter)) {
      for (const result of run.results) {
        const key = keyOf(run, result);
        const list = byTest.get(key) ?? [];
        list.push({ run, result });
        byTest.set(key, list);
      }
    }
    return byTest;
  }

  it('is deterministic: same seed, same history; another seed, another one', () => {
    const again = generateHistory({ seed: 42, endDate: END });
    expect(again.tests).toEqual(history.tests);
    expect([...again.labels]).toEqual([...history.labels]);
    const first = (h: typeof history, n: number) => {
      const out: DemoRun[] = [];
      for (const run of h.runs()) {
        out.push(run);
        if (out.length === n) break;
      }
      return out;
    };
    expect(first(again, 25)).toEqual(runs.slice(0, 25));
    // Iterating the same history twice gives the same runs too.
    expect([...history.plan()].map((p) => p.runId)).toEqual(runs.map((r) => r.runId));

    const other = generateHistory({ seed: 43, endDate: END });
    expect(first(other, 5)).not.toEqual(runs.slice(0, 5));
    expect(other.tests.map((t) => t.label)).not.toEqual(history.tests.map((t) => t.label));
  });

  it('has three projects with hundreds of tests each, and every label in each', () => {
    expect(history.projects.map((p) => p.key)).toEqual(['web-shop', 'payments-api', 'mobile-app']);
    for (const project of history.projects) {
      const own = history.tests.filter((t) => t.project === project.key);
      expect(own.length).toBeGreaterThanOrEqual(200);
      for (const label of TEST_LABELS) expect(own.some((t) => t.label === label)).toBe(true);
    }
    expect(history.tests.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(history.tests.map((t) => t.testId)).size).toBe(history.tests.length);
    expect(history.labels.size).toBe(history.tests.length);
    const share = (label: string) =>
      history.tests.filter((t) => t.label === label).length / history.tests.length;
    expect(share('stable')).toBeGreaterThan(0.6);
    expect(share('flaky')).toBeGreaterThan(0.04);
    expect(share('flaky')).toBeLessThan(0.15);
    for (const t of history.tests.filter((x) => x.label === 'flaky')) {
      expect(t.failRate).toBeGreaterThanOrEqual(0.02);
      expect(t.failRate).toBeLessThanOrEqual(0.3);
    }
  });

  it('produces CI-like runs: several a day, unique ids the API accepts, in time order, inside the window', () => {
    const days = new Set(runs.map((r) => r.startedAt.slice(0, 10)));
    expect(days.size).toBe(21);
    expect(runs.length).toBeGreaterThan(21 * 3 * 3);
    for (const project of history.projects) {
      const own = runs.filter((r) => r.project === project.key);
      expect(new Set(own.map((r) => r.runId)).size).toBe(own.length);
      const main = own.filter((r) => r.branch === 'main').length;
      expect(main).toBeGreaterThan(own.length - main);
      expect(own.some((r) => r.branch !== 'main' && r.trigger === 'pull_request')).toBe(true);
    }
    for (const [i, run] of runs.entries()) {
      expect(run.runId).toMatch(RUN_ID_RULE);
      expect(run.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(run.results.length).toBeLessThanOrEqual(5000);
      expect(Date.parse(run.finishedAt)).toBeGreaterThan(Date.parse(run.startedAt));
      expect(Date.parse(run.startedAt)).toBeLessThan(Date.parse(END));
      if (i > 0) expect(run.startedAt >= runs[i - 1].startedAt).toBe(true);
    }
    expect(Date.parse(runs[0].startedAt)).toBeGreaterThanOrEqual(Date.parse(history.start));
    // Feature branches run a smaller (smoke) selection in the web shop.
    const shop = runs.filter((r) => r.project === 'web-shop');
    const full = Math.max(...shop.map((r) => r.results.length));
    expect(shop.some((r) => r.trigger === 'pull_request' && r.results.length < full)).toBe(true);
  });

  it('keeps stable, slow and regressing tests passing outside outage runs, on main', () => {
    const onMain = executions((run) => run.branch === 'main' && !run.outage);
    const unexpected: string[] = [];
    let checked = 0;
    for (const [id, list] of onMain) {
      const test = tests.get(id);
      if (!test || !['stable', 'slow', 'regressing'].includes(test.label)) continue;
      for (const { run, result } of list) {
        checked += 1;
        if (result.status !== 'passed' || result.attempts) unexpected.push(`${run.runId} ${test.name}`);
      }
    }
    expect(unexpected).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('makes flaky tests really flip, often passing on a retry', () => {
    // On main: branch-local breakages of feature branches do not blur the picture.
    const byTest = executions((run) => run.branch === 'main' && !run.outage);
    let flakyTests = 0;
    let showedFailure = 0;
    let failedTries = 0;
    let tries = 0;
    let expectedFailures = 0;
    let passedOnRetry = 0;
    let finalFailures = 0;
    for (const [id, list] of byTest) {
      const test = tests.get(id);
      if (test?.label !== 'flaky') continue;
      flakyTests += 1;
      let failures = 0;
      for (const { result } of list) {
        const attempts = result.attempts ?? [];
        const tried = attempts.length + 1;
        const failedHere = attempts.filter((a) => a.status !== 'passed').length + (failing(result) ? 1 : 0);
        tries += tried;
        failedTries += failedHere;
        expectedFailures += tried * (test.failRate ?? 0);
        failures += failedHere;
        if (isFlaky(result)) passedOnRetry += 1;
        if (failing(result)) finalFailures += 1;
      }
      if (failures > 0 && list.some(({ result }) => result.status === 'passed')) showedFailure += 1;
    }
    expect(flakyTests).toBeGreaterThan(10);
    expect(tries).toBeGreaterThan(flakyTests * 20);
    // Most flaky tests visibly flip over three weeks (the rarest ones, at 2 %, may not).
    expect(showedFailure / flakyTests).toBeGreaterThan(0.6);
    // The observed failure rate of tries matches the configured rates.
    expect(failedTries / expectedFailures).toBeGreaterThan(0.8);
    expect(failedTries / expectedFailures).toBeLessThan(1.2);
    expect(passedOnRetry).toBeGreaterThan(20);
    expect(finalFailures).toBeGreaterThan(5);
  });

  it('fails broken tests on every run after they broke, and fixed tests on every run before the fix', () => {
    const onMain = executions((run) => run.branch === 'main' && !run.outage);
    let broken = 0;
    let fixed = 0;
    for (const [id, list] of onMain) {
      const test = tests.get(id);
      if (test?.label === 'broken') {
        broken += 1;
        const at = Date.parse(test.brokenAt as string);
        for (const { run, result } of list) {
          expect(failing(result)).toBe(Date.parse(run.startedAt) >= at);
        }
        expect(list.some(({ run }) => Date.parse(run.startedAt) >= at)).toBe(true);
        // The failures of a broken test are one problem: one fingerprint, with varying details.
        const errors = list.filter(({ result }) => failing(result)).map(({ result }) => result.error ?? {});
        expect(new Set(errors.map((e) => failureFingerprint(e).hash)).size).toBe(1);
      }
      if (test?.label === 'fixed') {
        fixed += 1;
        const at = Date.parse(test.fixedAt as string);
        for (const { run, result } of list) expect(failing(result)).toBe(Date.parse(run.startedAt) < at);
      }
    }
    expect(broken).toBeGreaterThan(3);
    expect(fixed).toBeGreaterThan(3);
  });

  it('has infrastructure outage runs in which about 90 % of the tests fail with one error', () => {
    const outages = runs.filter((r) => r.outage);
    expect(new Set(outages.map((r) => r.project)).size).toBe(3);
    for (const run of outages) {
      const ran = run.results.filter((r) => r.status !== 'skipped');
      const errored = ran.filter((r) => r.status === 'errored');
      expect(errored.length / ran.length).toBeGreaterThan(0.8);
      const hashes = new Map<string, number>();
      for (const r of errored) {
        const hash = failureFingerprint(r.error ?? {}).hash;
        hashes.set(hash, (hashes.get(hash) ?? 0) + 1);
      }
      expect(Math.max(...hashes.values()) / ran.length).toBeGreaterThan(0.8);
      // ... and each outage is followed by a re-run of the same commit.
      expect(
        runs.some((r) => r.trigger === 'rerun' && r.commit === run.commit && r.startedAt > run.startedAt),
      ).toBe(true);
    }
  });

  it('clusters error messages: the same problem differs in details but shares its fingerprint', () => {
    const perTest = new Map<string, { hashes: Set<string>; messages: Set<string> }>();
    const shared = new Map<string, Set<string>>();
    for (const run of runs.filter((r) => r.branch === 'main' && !r.outage)) {
      for (const result of run.results) {
        const error = result.error;
        if (!error) continue;
        const { hash } = failureFingerprint(error);
        const key = keyOf(run, result);
        const entry = perTest.get(key) ?? { hashes: new Set(), messages: new Set() };
        entry.hashes.add(hash);
        entry.messages.add(`${error.message}\n${error.stack}`);
        perTest.set(key, entry);
        const testsWithHash = shared.get(hash) ?? new Set();
        testsWithHash.add(key);
        shared.set(hash, testsWithHash);
      }
    }
    const repeated = [...perTest.values()].filter((e) => e.messages.size > 1);
    expect(repeated.length).toBeGreaterThan(20);
    // A test's failures on main are one cluster even though the raw texts differ...
    for (const entry of perTest.values()) expect(entry.hashes.size).toBe(1);
    // ...and some problems (a backend answering 503, read timeouts) span several tests.
    expect([...shared.values()].some((set) => set.size >= 3)).toBe(true);
    // Messages carry the varying parts that normalisation removes.
    const all = runs
      .flatMap((run) => run.results)
      .flatMap((r) => [r.error?.message, r.error?.stack, ...(r.attempts ?? []).map((a) => a.message)])
      .filter(Boolean)
      .join('\n');
    expect(all).toMatch(/https?:\/\/10\.0\.\d+\.\d+:8080\/api\/\w+\/\d+/);
    expect(all).toMatch(/Timeout of 5000ms exceeded waiting for #/);
    expect(all).toMatch(/\.java:\d+\)/);
  });

  it('lets durations follow the behaviour: slow tests are slow, regressing tests grow several-fold', () => {
    const all = executions((run) => !run.outage);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    let regressions = 0;
    for (const [id, list] of all) {
      const test = tests.get(id);
      const durations = list
        .filter(({ result }) => result.status === 'passed')
        .map(({ result }) => result.durationMs);
      if (test?.label === 'slow') expect(median(durations)).toBeGreaterThan(2000);
      if (test?.label === 'regressing') {
        const at = Date.parse(test.regressionAt as string);
        const before = list
          .filter(({ run }) => Date.parse(run.startedAt) < at)
          .map(({ result }) => result.durationMs);
        const after = list
          .filter(({ run }) => Date.parse(run.startedAt) > at + 2 * 86_400_000)
          .map(({ result }) => result.durationMs);
        if (before.length < 5 || after.length < 5) continue;
        regressions += 1;
        expect(median(after) / median(before)).toBeGreaterThan(2);
      }
    }
    expect(regressions).toBeGreaterThan(3);
  });

  it('scales the catalogue and keeps the plan cheap and consistent with the runs', () => {
    const small = generateHistory({
      seed: 'x',
      days: 3,
      endDate: END,
      scale: 0.1,
      projects: ['payments-api'],
    });
    expect(small.projects.map((p) => p.key)).toEqual(['payments-api']);
    expect(small.tests.length).toBeLessThan(60);
    const planned = [...small.plan()];
    const generated = [...small];
    expect(generated.map((r) => r.runId)).toEqual(planned.map((p) => p.runId));
    expect(generated.map((r) => r.results.length)).toEqual(planned.map((p) => p.tests));
    const big = generateHistory({ seed: 'x', days: 1, endDate: END, scale: 5, projects: ['web-shop'] });
    expect(big.tests.length).toBeGreaterThan(2000);
    expect(() => generateHistory({ projects: ['nope'] })).toThrow(/Unknown demo project/);
  });
});

describe('generateHistory later the same day', () => {
  it('gives the same earlier runs, plus the ones that have happened since', () => {
    const morning = [...generateHistory({ seed: 9, days: 5, endDate: '2026-11-27T09:00:00Z' })];
    const evening = [...generateHistory({ seed: 9, days: 5, endDate: '2026-11-27T21:00:00Z' })];
    expect(evening.length).toBeGreaterThan(morning.length);
    expect(evening.slice(0, morning.length)).toEqual(morning);
  });
});
