import { HistoryClient } from './history.client';
import { KeptRunsHandler } from './kept-runs.handler';
import { WindowPrebuilder } from './window-prebuilder';

describe('KeptRunsHandler', () => {
  beforeAll(() => jest.useFakeTimers({ now: new Date('2026-11-28T12:00:00Z') }));
  afterAll(() => jest.useRealTimers());

  function handler(keepDay: (project: string, day: string) => Promise<void>) {
    const kept: string[] = [];
    const quiet: string[] = [];
    const prebuilder = { runKept: (project: string) => quiet.push(project) } as unknown as WindowPrebuilder;
    const history = {
      keepDay: async (project: string, day: string) => {
        kept.push(`${project} ${day}`);
        await keepDay(project, day);
      },
    } as unknown as HistoryClient;
    return { handler: new KeptRunsHandler(history, prebuilder), kept, quiet };
  }

  it("reads a finished run's day ahead when it is within the default window", async () => {
    const { handler: h, kept, quiet } = handler(async () => undefined);
    await h.dayChanged({ project: 'shop', day: '2026-11-28', keys: [] });
    await h.dayChanged({ project: 'shop', day: '2026-10-30', keys: [] });
    // Older than the last 30 days (from 2026-10-30): left for an analysis that asks.
    await h.dayChanged({ project: 'shop', day: '2026-10-29', keys: [] });
    expect(kept).toEqual(['shop 2026-11-28', 'shop 2026-10-30']);
    // Each run kept tells the prebuilder, which builds the windows once they stop coming.
    expect(quiet).toEqual(['shop', 'shop']);
  });

  it('does not throw when the read fails (the analyses read what is missing)', async () => {
    const {
      handler: h,
      kept,
      quiet,
    } = handler(async () => {
      throw new Error('data-aggregation unavailable');
    });
    await expect(h.dayChanged({ project: 'shop', day: '2026-11-28', keys: [] })).resolves.toBeUndefined();
    expect(kept).toHaveLength(1);
    // The windows are still built once the runs go quiet: their reads may succeed by then.
    expect(quiet).toEqual(['shop']);
  });
});
