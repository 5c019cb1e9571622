import { unpackOutcomes } from '@testpulse/domain';
import { OutcomeInput, planRunOutcomes } from './outcomes-plan';

const id = (n: number) => n.toString(16).padStart(24, '0');
const run = {
  project: 'shop',
  runId: 'r1',
  day: '2026-11-27',
  startedAt: new Date('2026-11-27T10:00:00Z'),
  branch: 'main',
  commit: 'abc',
};

describe('planRunOutcomes', () => {
  const results: OutcomeInput[] = [
    { testId: id(1), status: 'passed' as const, flaky: true, durationMs: 5, attempts: 2 },
    {
      testId: id(2),
      status: 'failed' as const,
      flaky: false,
      durationMs: 10,
      attempts: 0,
      fingerprint: '0123456789abcdef',
    },
    { testId: id(3), status: 'skipped' as const, flaky: false, durationMs: 0, attempts: 0 },
    { testId: id(4), status: 'errored' as const, flaky: false, durationMs: 1, attempts: 0 },
    {
      testId: id(5),
      status: 'passed' as const,
      flaky: false,
      durationMs: 2,
      attempts: 0,
      fingerprint: 'ffffffffffffffff',
    },
  ];

  it('packs every execution with the run it belongs to, fingerprints of failures only', () => {
    const [doc, ...rest] = planRunOutcomes(run, 'finished', results);
    expect(rest).toHaveLength(0);
    expect(doc).toEqual(
      expect.objectContaining({
        _id: 'shop|r1|0',
        part: 0,
        parts: 1,
        status: 'finished',
        branch: 'main',
        commit: 'abc',
        runTests: 5,
        runFailing: 2,
      }),
    );
    const outcomes = unpackOutcomes(doc.outcomes, doc.failures);
    expect(outcomes.map((o) => [o.status, o.attempts, o.fingerprint])).toEqual([
      ['passed', 2, undefined],
      ['failed', 0, '0123456789abcdef'],
      ['skipped', 0, undefined],
      ['errored', 0, undefined],
      ['passed', 0, undefined],
    ]);
  });

  it('splits a large run into parts that each know the whole', () => {
    const docs = planRunOutcomes(run, 'interrupted', results, 2);
    expect(docs.map((d) => [d._id, d.part, d.parts, d.runTests, d.runFailing])).toEqual([
      ['shop|r1|0', 0, 3, 5, 2],
      ['shop|r1|1', 1, 3, 5, 2],
      ['shop|r1|2', 2, 3, 5, 2],
    ]);
    const all = docs.flatMap((d) => unpackOutcomes(d.outcomes, d.failures));
    expect(all.map((o) => o.testId)).toEqual(results.map((r) => r.testId));
    expect(all[1].fingerprint).toBe('0123456789abcdef');
  });

  it('writes one empty part for a run without results', () => {
    const docs = planRunOutcomes(run, 'finished', []);
    expect(docs).toHaveLength(1);
    expect(docs[0].outcomes.byteLength).toBe(0);
  });
});
