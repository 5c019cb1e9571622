import { HISTORY_PATTERNS } from '@testpulse/contracts';
import { packOutcomes, packStates } from '@testpulse/domain';
import { ServiceClient } from '@testpulse/messaging';
import { AnalyticsEngineEnv } from '../env';
import { HistoryClient, windowOf } from './history.client';

describe('windowOf', () => {
  it('is the last N UTC days, today included', () => {
    expect(windowOf(1, new Date('2026-11-28T23:59:00Z'))).toEqual({ from: '2026-11-28', to: '2026-11-28' });
    expect(windowOf(30, new Date('2026-03-01T01:00:00Z'))).toEqual({ from: '2026-01-31', to: '2026-03-01' });
  });
});

/** Catalogue entries as data-aggregation answers them, for these ordinals. */
const catalogueEntries = (ordinals: number[]) =>
  ordinals.map((ordinal) => ({
    testId: `t${ordinal}`,
    ordinal,
    suite: 's',
    name: `test ${ordinal}`,
    firstSeen: '2026-11-01T00:00:00.000Z',
  }));

describe('HistoryClient windows', () => {
  const packed = packOutcomes([
    { testId: '0'.repeat(23) + '1', status: 'passed', flaky: false, attempts: 0, durationMs: 5 },
    {
      testId: '0'.repeat(23) + '2',
      status: 'failed',
      flaky: false,
      attempts: 0,
      durationMs: 5,
      fingerprint: '0123456789abcdef',
    },
    { testId: '0'.repeat(23) + '3', status: 'skipped', flaky: false, attempts: 0, durationMs: 0 },
  ]);
  const header = {
    runId: 'r1',
    day: '2026-11-27',
    startedAt: '2026-11-27T10:00:00.000Z',
    status: 'finished',
    summary: { tests: 3, passed: 1, failed: 1, errored: 0, skipped: 1, flaky: 0, durationMs: 10 },
  };
  // The transport double answers like data-aggregation, after a tick, counting the calls.
  const calls: string[] = [];
  const payloads: Array<Record<string, unknown>> = [];
  const services = {
    send: async (pattern: string, payload: Record<string, unknown>) => {
      calls.push(pattern);
      payloads.push(payload);
      await new Promise((tick) => setImmediate(tick));
      if (pattern === HISTORY_PATTERNS.runs) return [header];
      if (pattern === HISTORY_PATTERNS.catalogue) return catalogueEntries(payload.ordinals as number[]);
      if (pattern === HISTORY_PATTERNS.states) {
        const states = packStates([
          { ordinal: 8, status: 'passed', flaky: false },
          { ordinal: 3, status: 'failed', flaky: false, fingerprint: '0123456789abcdef' },
        ]);
        const known = (payload.known as string[] | undefined) ?? [];
        if (known.includes('r1')) return [{ runId: 'r1', known: true }];
        return [
          {
            ...header,
            tests: 2,
            failing: 1,
            states: states.states.toString('base64'),
            failures: states.failures.toString('base64'),
            examples: [['0123456789abcdef', 'p|r1|b0|1']],
          },
        ];
      }
      return [
        {
          runId: 'r1',
          tests: 3,
          failing: 1,
          parts: [
            {
              outcomes: packed.outcomes.toString('base64'),
              failures: packed.failures.toString('base64'),
            },
          ],
        },
      ];
    },
  } as unknown as ServiceClient;

  it('decodes the outcomes and measures the failing share over executed tests', async () => {
    calls.length = 0;
    const window = await new HistoryClient(services).outcomeWindow({ project: 'p', from: 'a', to: 'b' });
    expect(window.testIds).toEqual(['0'.repeat(23) + '1', '0'.repeat(23) + '2', '0'.repeat(23) + '3']);
    expect([...window.status]).toEqual([0, 1, 3]);
    expect(window.runs[0].failingShare).toBe(0.5);
  });

  it('decodes the states of a window by catalogue ordinal', async () => {
    const window = await new HistoryClient(services).statesWindow({ project: 'p', from: 'a', to: 'b' });
    expect([...window.ordinals]).toEqual([3, 8]);
    expect([...window.status]).toEqual([1, 0]);
    expect([...window.fingerprints.values()]).toEqual(['0123456789abcdef']);
    expect(window.runs[0].failingShare).toBe(0.5);
    expect(window.runs[0].examples.get('0123456789abcdef')).toBe('p|r1|b0|1');
  });

  it('shares one read between concurrent requests for the same window, and reads again after', async () => {
    calls.length = 0;
    const client = new HistoryClient(services);
    const window = { project: 'p', from: '2026-11-01', to: '2026-11-30' };
    const [a, b] = await Promise.all([client.outcomeWindow(window), client.outcomeWindow({ ...window })]);
    expect(a).toBe(b);
    expect(calls).toEqual([HISTORY_PATTERNS.runs, HISTORY_PATTERNS.outcomes]);
    const again = await client.outcomeWindow({ ...window, branch: 'main' });
    await client.outcomeWindow(window);
    // The runs are listed again each time; the finished run's outcomes are held, not read again.
    expect(calls).toEqual([
      HISTORY_PATTERNS.runs,
      HISTORY_PATTERNS.outcomes,
      HISTORY_PATTERNS.runs,
      HISTORY_PATTERNS.runs,
    ]);
    expect([...again.status]).toEqual([0, 1, 3]);
  });

  it('names the runs it holds in a states request and uses its copy of them', async () => {
    const client = new HistoryClient(services);
    const window = { project: 'p', from: '2026-11-01', to: '2026-11-30' };
    payloads.length = 0;
    const first = await client.statesWindow(window);
    const second = await client.statesWindow(window);
    expect(payloads.map((p) => p.known)).toEqual([undefined, ['r1']]);
    expect([...second.ordinals]).toEqual([...first.ordinals]);
    expect([...second.status]).toEqual([1, 0]);
    expect(second.runs[0].examples.get('0123456789abcdef')).toBe('p|r1|b0|1');
    // A window that does not cover the run's day does not name it.
    await client.statesWindow({ project: 'p', from: '2026-11-28', to: '2026-11-30' });
    expect(payloads[2].known).toBeUndefined();
  });

  it('uses the window it built last while the runs are the same, and builds another after a run', async () => {
    let second = false;
    const withRuns = {
      send: async (pattern: string, payload: Record<string, unknown>) => {
        const views = (await services.send(pattern, payload)) as Array<Record<string, unknown>>;
        if (!second || pattern !== HISTORY_PATTERNS.states) return views;
        const known = (payload.known as string[] | undefined) ?? [];
        const full = (await services.send(pattern, { ...payload, known: [] })) as Array<
          Record<string, unknown>
        >;
        return [...views, known.includes('r2') ? { runId: 'r2', known: true } : { ...full[0], runId: 'r2' }];
      },
    } as unknown as ServiceClient;
    const client = new HistoryClient(withRuns);
    const window = { project: 'p', from: '2026-11-01', to: '2026-11-30' };
    const first = await client.statesWindow(window);
    expect(await client.statesWindow({ ...window })).toBe(first);
    // Another window over the same runs is built apart.
    expect(await client.statesWindow({ ...window, from: '2026-11-02' })).not.toBe(first);
    const outcomes = await client.outcomeWindow(window);
    expect(await client.outcomeWindow(window)).toBe(outcomes);
    second = true;
    const after = await client.statesWindow(window);
    expect(after).not.toBe(first);
    expect(after.runs.map((run) => run.runId)).toEqual(['r1', 'r2']);
    expect(await client.statesWindow(window)).toBe(after);
  });

  it("keeps a day's runs read ahead: later windows over it read their listing only", async () => {
    const client = new HistoryClient(services);
    await client.keepDay('p', '2026-11-27');
    calls.length = 0;
    payloads.length = 0;
    const window = { project: 'p', from: '2026-11-01', to: '2026-11-30' };
    const [states, outcomes] = await Promise.all([client.statesWindow(window), client.outcomeWindow(window)]);
    // States: the run named as held (and answered by id); outcomes: listed, none read.
    expect(calls.sort()).toEqual([HISTORY_PATTERNS.runs, HISTORY_PATTERNS.states].sort());
    // The run's tests' catalogue entries were read ahead too.
    await client.catalogueByOrdinal('p', [3, 8]);
    expect(calls).toHaveLength(2);
    expect(payloads.find((p) => 'known' in p)?.known).toEqual(['r1']);
    expect([...states.status]).toEqual([1, 0]);
    expect([...outcomes.status]).toEqual([0, 1, 3]);
  });
});

describe('HistoryClient catalogue and examples', () => {
  it('asks only for the catalogue entries it has not read before, and keeps examples', async () => {
    const asked: Array<{ pattern: string; payload: Record<string, unknown> }> = [];
    const services = {
      send: async (pattern: string, payload: Record<string, unknown>) => {
        asked.push({ pattern, payload });
        if (pattern === HISTORY_PATTERNS.catalogue)
          return catalogueEntries((payload.ordinals as number[] | undefined) ?? [1, 2, 3]);
        return { runId: 'r1', testId: 't1', suite: 's', name: 'test 1', status: 'failed', error: {} };
      },
    } as unknown as ServiceClient;
    const client = new HistoryClient(services);
    expect([...(await client.catalogueByOrdinal('p', [1, 2])).keys()]).toEqual([1, 2]);
    const again = await client.catalogueByOrdinal('p', Uint32Array.from([2, 3]));
    expect([...again.values()].map((t) => t.name)).toEqual(['test 2', 'test 3']);
    expect(asked.map((a) => a.payload.ordinals)).toEqual([[1, 2], [3]]);
    // Another project's ordinals are its own.
    await client.catalogueByOrdinal('q', [1]);
    expect(asked[2].payload).toEqual({ project: 'q', ordinals: [1] });

    // By testId: the whole catalogue once, then nothing while every test asked for is known.
    asked.length = 0;
    expect([...(await client.catalogueByTestId('r', ['t1', 't3'])).values()].map((t) => t.ordinal)).toEqual([
      1, 3,
    ]);
    expect([...(await client.catalogueByTestId('r', ['t2'])).keys()]).toEqual(['t2']);
    expect(asked).toEqual([{ pattern: HISTORY_PATTERNS.catalogue, payload: { project: 'r' } }]);
    // Kept by ordinal too.
    await client.catalogueByOrdinal('r', [2]);
    expect(asked).toHaveLength(1);
    // A test not kept reads the catalogue again (it may be new).
    await client.catalogueByTestId('r', ['t9']);
    expect(asked).toHaveLength(2);

    asked.length = 0;
    await client.failureExample('p', 'r1', '0123456789abcdef', 'id1');
    const example = await client.failureExample('p', 'r1', '0123456789abcdef', 'id1');
    await client.failureExample('p', 'r2', '0123456789abcdef');
    expect(example.name).toBe('test 1');
    expect(asked).toHaveLength(2);
  });
});

describe('HistoryClient.prebuild', () => {
  const NOW = new Date('2026-11-28T12:00:00Z');
  beforeAll(() => jest.useFakeTimers({ now: NOW, doNotFake: ['setImmediate', 'nextTick'] }));
  afterAll(() => jest.useRealTimers());

  /**
   * data-aggregation for one project's runs (each with two tests), listed by day and branch: states
   * and outcomes of the runs a request does not name as known. Records the windows asked for.
   */
  function history(runs: Array<{ runId: string; day: string; branch: string }>, tests = 2) {
    const asked: string[] = [];
    const inWindow = (payload: Record<string, unknown>) =>
      runs.filter(
        (r) =>
          r.day >= (payload.from as string) &&
          r.day <= (payload.to as string) &&
          (!payload.branch || r.branch === payload.branch),
      );
    const header = (r: { runId: string; day: string; branch: string }) => ({
      runId: r.runId,
      day: r.day,
      startedAt: `${r.day}T10:00:00.000Z`,
      status: 'finished',
      branch: r.branch,
      summary: { tests: 2, passed: 2, failed: 0, errored: 0, skipped: 0, flaky: 0, durationMs: 10 },
    });
    const services = {
      send: async (pattern: string, payload: Record<string, unknown>) => {
        await new Promise((tick) => setImmediate(tick));
        if (pattern === HISTORY_PATTERNS.runs) {
          asked.push(`runs ${payload.from}..${payload.to}${payload.branch ? ` ${payload.branch}` : ''}`);
          return inWindow(payload).map(header);
        }
        if (pattern === HISTORY_PATTERNS.states) {
          asked.push(`states ${payload.from}..${payload.to}${payload.branch ? ` ${payload.branch}` : ''}`);
          const known = (payload.known as string[] | undefined) ?? [];
          const packed = packStates(
            Array.from({ length: tests }, (_, i) => ({
              ordinal: i + 1,
              status: 'passed' as const,
              flaky: false,
            })),
          );
          return inWindow(payload).map((r) =>
            known.includes(r.runId)
              ? { runId: r.runId, known: true }
              : {
                  ...header(r),
                  tests,
                  failing: 0,
                  states: packed.states.toString('base64'),
                  failures: packed.failures.toString('base64'),
                  examples: [],
                },
          );
        }
        if (pattern === HISTORY_PATTERNS.outcomes) {
          const packed = packOutcomes([
            { testId: '0'.repeat(23) + '1', status: 'passed', flaky: false, attempts: 0, durationMs: 5 },
            { testId: '0'.repeat(23) + '2', status: 'passed', flaky: false, attempts: 0, durationMs: 5 },
          ]);
          return (payload.runIds as string[]).map((runId) => ({
            runId,
            tests: 2,
            failing: 0,
            parts: [
              { outcomes: packed.outcomes.toString('base64'), failures: packed.failures.toString('base64') },
            ],
          }));
        }
        if (pattern === HISTORY_PATTERNS.catalogue) return catalogueEntries(payload.ordinals as number[]);
        throw new Error(`unexpected ${pattern}`);
      },
    } as unknown as ServiceClient;
    return { client: new HistoryClient(services), services, asked, runs };
  }

  it('builds the standard windows of a project no analysis asked about, each once', async () => {
    const { client, asked } = history([{ runId: 'r1', day: '2026-11-27', branch: 'main' }]);
    expect(await client.prebuild('p', NOW)).toBe(6);
    expect(asked).toEqual([
      'states 2026-11-22..2026-11-28',
      'runs 2026-11-22..2026-11-28',
      'states 2026-11-15..2026-11-28',
      'runs 2026-11-15..2026-11-28',
      'states 2026-10-30..2026-11-28',
      'runs 2026-10-30..2026-11-28',
    ]);
    // An analysis over one of them now uses the window built ahead.
    const ahead = await client.statesWindow({ project: 'p', ...windowOf(7, NOW) });
    asked.length = 0;
    // Nothing new since: nothing is read or built.
    expect(await client.prebuild('p', NOW)).toBe(0);
    expect(asked).toEqual([]);
    expect(await client.statesWindow({ project: 'p', ...windowOf(7, NOW) })).toBe(ahead);
  });

  it('keeps guessed windows in free room only, and lets them go first when room is needed', async () => {
    // Each states window here takes about 650 KB (13,000 tests); outcome windows a few hundred bytes.
    const { services, asked, runs } = history([{ runId: 'r1', day: '2026-11-27', branch: 'main' }], 13_000);
    const env = (mb: number) => Object.assign(new AnalyticsEngineEnv(), { WINDOW_MEMO_MB: mb });
    const small = new HistoryClient(services, env(1));
    const inUse = await small.statesWindow({ project: 'p', ...windowOf(7, NOW) });
    asked.length = 0;
    // No room for another states window: only the three small outcome windows are kept.
    expect(await small.prebuild('other', NOW)).toBe(3);
    expect(await small.statesWindow({ project: 'p', ...windowOf(7, NOW) })).toBe(inUse);
    // Windows asked for are built whatever the room: after a new run, the one of `p`.
    runs.push({ runId: 'r2', day: '2026-11-28', branch: 'main' });
    await small.keepDay('p', '2026-11-28');
    expect(await small.prebuild('p', NOW)).toBe(1);

    const roomy = new HistoryClient(services, env(4));
    const used = await roomy.statesWindow({ project: 'p', ...windowOf(7, NOW) });
    expect(await roomy.prebuild('other', NOW)).toBe(6);
    // Three more windows in use need room: the guesses go, not the window in use before them.
    for (const days of [7, 14, 30]) await roomy.statesWindow({ project: 'q', ...windowOf(days, NOW) });
    expect(await roomy.statesWindow({ project: 'p', ...windowOf(7, NOW) })).toBe(used);
    expect(await roomy.prebuild('other', NOW)).toBeGreaterThan(0);
  });

  it('builds the windows analyses asked for (trailing ones), again once a run is kept', async () => {
    const { client, asked, runs } = history([
      { runId: 'r1', day: '2026-11-27', branch: 'main' },
      { runId: 'r2', day: '2026-11-27', branch: 'feature' },
    ]);
    const main14 = { project: 'p', ...windowOf(14, NOW), branch: 'main' };
    const first = await client.statesWindow(main14);
    await client.outcomeWindow({ project: 'p', ...windowOf(30, NOW) });
    // Not a trailing window (it ends before today): not built ahead.
    await client.statesWindow({ project: 'p', from: '2026-11-01', to: '2026-11-20' });
    asked.length = 0;
    expect(await client.prebuild('p', NOW)).toBe(0);

    // A run of another branch does not make the main window older; a run of main does.
    runs.push({ runId: 'r3', day: '2026-11-28', branch: 'feature' });
    await client.keepDay('p', '2026-11-28');
    expect(await client.prebuild('p', NOW)).toBe(1);
    expect(asked.filter((a) => a.startsWith('runs'))).toEqual([
      'runs 2026-11-28..2026-11-28',
      'runs 2026-10-30..2026-11-28',
    ]);
    runs.push({ runId: 'r4', day: '2026-11-28', branch: 'main' });
    await client.keepDay('p', '2026-11-28');
    asked.length = 0;
    expect(await client.prebuild('p', NOW)).toBe(2);
    expect(asked).toEqual(['states 2026-11-15..2026-11-28 main', 'runs 2026-10-30..2026-11-28']);
    const after = await client.statesWindow(main14);
    expect(after).not.toBe(first);
    expect(after.runs.map((run) => run.runId)).toEqual(['r1', 'r4']);

    // At most 16 windows are remembered per project, those asked for last (any branch can be named).
    for (let i = 0; i < 20; i++)
      await client.statesWindow({ project: 'p', ...windowOf(7, NOW), branch: `b${i}` });
    asked.length = 0;
    // A run of b0 (forgotten: asked for before the last 16) and one of b19 (remembered).
    runs.push(
      { runId: 'r5', day: '2026-11-28', branch: 'b0' },
      { runId: 'r6', day: '2026-11-28', branch: 'b19' },
    );
    await client.keepDay('p', '2026-11-28');
    asked.length = 0;
    await client.prebuild('p', NOW);
    expect(asked).toContain('states 2026-11-22..2026-11-28 b19');
    expect(asked).not.toContain('states 2026-11-22..2026-11-28 b0');

    // A day later without being asked for again, the windows are no longer built ahead: the
    // standard ones are, as for a project no analysis asked about.
    const dayLater = new Date(NOW.getTime() + 25 * 3600 * 1000);
    asked.length = 0;
    await client.prebuild('p', dayLater);
    expect(asked.filter((a) => a.startsWith('states'))).toEqual([
      'states 2026-11-23..2026-11-29',
      'states 2026-11-16..2026-11-29',
      'states 2026-10-31..2026-11-29',
    ]);
  });
});
