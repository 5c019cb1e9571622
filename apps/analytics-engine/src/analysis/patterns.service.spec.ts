import { FailureFingerprintsView, RunStatesView } from '@testpulse/contracts';
import { TestState, emptySummary, packStates } from '@testpulse/domain';
import { HistoryClient, Window } from '../history/history.client';
import { StatesWindow } from '../history/states-window';
import { PatternsService } from './patterns.service';

const FP_OLD = '00000000000000aa';
const FP_NEW = '00000000000000bb';

const view = (runId: string, startedAt: string, states: TestState[]): RunStatesView => {
  const packed = packStates(states);
  return {
    runId,
    day: startedAt.slice(0, 10),
    startedAt,
    status: 'finished',
    branch: 'main',
    summary: emptySummary(),
    tests: states.length,
    failing: 0,
    states: packed.states.toString('base64'),
    failures: packed.failures.toString('base64'),
    examples: [],
  };
};

/** The history of a window and of the window before it, as data-aggregation would answer. */
function historyDouble(previous: FailureFingerprintsView, previousStates: RunStatesView[]) {
  const current = StatesWindow.decode([
    view('r2', '2026-11-27T10:00:00Z', [
      { ordinal: 0, status: 'failed', flaky: false, fingerprint: FP_OLD },
      { ordinal: 1, status: 'failed', flaky: false, fingerprint: FP_NEW },
    ]),
  ]);
  const reads: string[] = [];
  const history = {
    statesWindow: async (window: Window) => {
      reads.push(`states ${window.from}`);
      return window.to >= '2026-11-27' ? current : StatesWindow.decode(previousStates);
    },
    failureFingerprints: async (window: Window) => {
      reads.push(`fingerprints ${window.from}`);
      return previous;
    },
    catalogueByOrdinal: async () =>
      new Map(
        [0, 1].map((ordinal) => [
          ordinal,
          { ordinal, testId: `t${ordinal}`, suite: 's', name: `n${ordinal}`, firstSeen: '' },
        ]),
      ),
    failureExample: async () => {
      throw new Error('no example');
    },
  } as unknown as HistoryClient;
  return { history, reads };
}

describe('PatternsService: new clusters', () => {
  beforeAll(() => jest.useFakeTimers({ now: new Date('2026-11-28T12:00:00Z'), doNotFake: ['setImmediate'] }));
  afterAll(() => jest.useRealTimers());

  it("knows what the window before saw from its days' fingerprints", async () => {
    const { history, reads } = historyDouble({ complete: true, fingerprints: [FP_OLD] }, []);
    const result = await new PatternsService(history).patterns({ project: 'p', days: 7, examples: 0 });
    expect(result.clusters.map((c) => [c.fingerprint, c.isNew, c.tests[0].name])).toEqual([
      [FP_OLD, false, 'n0'],
      [FP_NEW, true, 'n1'],
    ]);
    expect(reads.filter((read) => read.startsWith('states'))).toHaveLength(1);
  });

  it('reads the earlier states when a day predates the fingerprint lists', async () => {
    const { history, reads } = historyDouble({ complete: false, fingerprints: [] }, [
      view('r1', '2026-11-20T10:00:00Z', [
        { ordinal: 1, status: 'errored', flaky: false, fingerprint: FP_NEW },
      ]),
    ]);
    const result = await new PatternsService(history).patterns({ project: 'p', days: 7, examples: 0 });
    expect(result.clusters.map((c) => [c.fingerprint, c.isNew])).toEqual([
      [FP_OLD, true],
      [FP_NEW, false],
    ]);
    expect(reads.filter((read) => read.startsWith('states'))).toHaveLength(2);
  });
});
