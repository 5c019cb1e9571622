import { RunView, StoredResultView } from '@testpulse/contracts';
import { SourcesClient } from '../sources/sources.client';
import {
  FailureDrilldownTemplate,
  failureRow,
  resultMatches,
  runMatches,
} from './failure-drilldown.template';

const result = (over: Partial<StoredResultView> = {}): StoredResultView => ({
  testId: 'a'.repeat(24),
  suite: 'checkout',
  name: 'pays',
  status: 'failed',
  flaky: false,
  durationMs: 12,
  attempts: [],
  tags: ['smoke'],
  ...over,
});

const run = (runId: string, startedAt: string, over: Partial<RunView> = {}): RunView => ({
  project: 'checkout',
  runId,
  status: 'finished',
  complete: true,
  startedAt,
  summary: { tests: 3, passed: 1, failed: 2, errored: 0, skipped: 0, flaky: 0, durationMs: 30 },
  source: 'native',
  ...over,
});

describe('failure drill-down filters', () => {
  it('matches results by suite and by any tag', () => {
    expect(resultMatches(result(), {})).toBe(true);
    expect(resultMatches(result(), { suites: ['search'] })).toBe(false);
    expect(resultMatches(result(), { suites: ['checkout'], tags: ['nightly', 'smoke'] })).toBe(true);
    expect(resultMatches(result(), { tags: ['nightly'] })).toBe(false);
  });

  it('keeps closed runs of the window and environment', () => {
    const window = { from: '2025-03-01', to: '2025-03-10' };
    expect(runMatches(run('r', '2025-03-05T10:00:00.000Z'), window)).toBe(true);
    expect(runMatches(run('r', '2025-03-05T10:00:00.000Z', { status: 'running' }), window)).toBe(false);
    expect(runMatches(run('r', '2025-02-28T23:59:00.000Z'), window)).toBe(false);
    expect(runMatches(run('r', '2025-03-05T10:00:00.000Z', { environment: 'ci' }), window, 'staging')).toBe(
      false,
    );
  });

  it('cuts long messages and stacks', () => {
    const row = failureRow(
      result({
        error: { message: 'x'.repeat(5000), stack: 'y'.repeat(9000), fingerprint: '0123456789abcdef' },
      }),
    );
    const error = row.error as { message: string; stack: string; fingerprint: string };
    expect(error.message).toHaveLength(2000 + '… [3000 more characters]'.length);
    expect(error.stack.startsWith('y'.repeat(4000))).toBe(true);
    expect(error.fingerprint).toBe('0123456789abcdef');
  });
});

describe('FailureDrilldownTemplate', () => {
  it('opens the latest runs of the window and lists their failures', async () => {
    const runs = [
      run('r3', '2025-03-12T10:00:00.000Z'), // after the window
      run('r2', '2025-03-09T10:00:00.000Z'),
      run('r1', '2025-03-02T10:00:00.000Z', { status: 'running' }),
      run('r0', '2025-02-20T10:00:00.000Z'), // before the window: the search stops here
    ];
    const failures: Record<string, StoredResultView[]> = {
      failed: [
        result({ error: { message: 'boom', fingerprint: '0123456789abcdef' } }),
        result({ name: 'b', tags: [] }),
      ],
      errored: [],
    };
    const sources = {
      listRuns: jest.fn(() => Promise.resolve({ items: runs, page: 1, pageSize: 100, total: runs.length })),
      results: jest.fn((_p: string, _r: string, status: string) =>
        Promise.resolve({ items: failures[status], page: 1, pageSize: 200, total: failures[status].length }),
      ),
    } as unknown as SourcesClient;
    const report = await new FailureDrilldownTemplate(sources).build({
      filter: { projects: ['checkout'], tags: ['smoke'] },
      projects: ['checkout'],
      window: { from: '2025-03-01', to: '2025-03-10' },
      analyticsDays: 10,
      today: '2025-03-10',
    });
    const [overview, failuresOfR2, clusters] = report.sections;
    expect(overview.items.map((row) => row.runId)).toEqual(['r2']);
    expect(failuresOfR2.key).toBe('failures:checkout:r2');
    expect(failuresOfR2.items.map((row) => row.name)).toEqual(['pays']);
    expect(failuresOfR2.total).toBe(1);
    expect(clusters.items).toEqual([expect.objectContaining({ fingerprint: '0123456789abcdef', count: 1 })]);
  });
});
