import { AnalyticsEngineEnv } from '../env';
import { HistoryClient } from './history.client';
import { WindowPrebuilder } from './window-prebuilder';

describe('WindowPrebuilder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A prebuilder over a history double whose builds take `buildMs` each and are recorded. */
  function prebuilder(quietMs: number, buildMs = 0, fail = false) {
    const events: string[] = [];
    const history = {
      prebuild: async (project: string) => {
        events.push(`start ${project}`);
        if (buildMs > 0) await new Promise((done) => setTimeout(done, buildMs));
        if (fail) throw new Error('data-aggregation unavailable');
        events.push(`end ${project}`);
        return 1;
      },
    } as unknown as HistoryClient;
    const env = Object.assign(new AnalyticsEngineEnv(), { WINDOW_PREBUILD_QUIET_MS: quietMs });
    return { prebuilder: new WindowPrebuilder(history, env), events };
  }

  it("builds a project's windows once its runs stop coming for the quiet time", async () => {
    const { prebuilder: p, events } = prebuilder(2000);
    p.runKept('shop');
    await jest.advanceTimersByTimeAsync(1500);
    p.runKept('shop'); // another run: the wait starts again
    await jest.advanceTimersByTimeAsync(1500);
    expect(events).toEqual([]);
    await jest.advanceTimersByTimeAsync(500);
    expect(events).toEqual(['start shop', 'end shop']);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(events).toHaveLength(2);
  });

  it('builds one project at a time', async () => {
    const { prebuilder: p, events } = prebuilder(100, 1000);
    p.runKept('shop');
    p.runKept('api');
    await jest.advanceTimersByTimeAsync(100);
    expect(events).toEqual(['start shop']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(events).toEqual(['start shop', 'end shop', 'start api']);
    await jest.advanceTimersByTimeAsync(1000);
    expect(events).toEqual(['start shop', 'end shop', 'start api', 'end api']);
  });

  it('goes on after a failed build, builds nothing when off or shut down', async () => {
    const failing = prebuilder(100, 0, true);
    failing.prebuilder.runKept('shop');
    await jest.advanceTimersByTimeAsync(100);
    failing.prebuilder.runKept('api');
    await jest.advanceTimersByTimeAsync(100);
    expect(failing.events).toEqual(['start shop', 'start api']);

    const off = prebuilder(0);
    off.prebuilder.runKept('shop');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(off.events).toEqual([]);

    const closing = prebuilder(100);
    closing.prebuilder.runKept('shop');
    closing.prebuilder.onApplicationShutdown();
    closing.prebuilder.runKept('api');
    await jest.advanceTimersByTimeAsync(10_000);
    expect(closing.events).toEqual([]);
  });
});
