import { readResultBatch, toResultBatch } from './result-batch';
import { StoredResult } from './schemas/result.schema';

const run = { project: 'shop', runId: 'r1', day: '2026-11-27' };
const result = (index: number, fields: Partial<StoredResult>): StoredResult => ({
  _id: `shop|r1|b0|${index}`,
  project: 'shop',
  runId: 'r1',
  testId: index.toString(16).padStart(24, '0'),
  suite: 'cart',
  name: `test ${index}`,
  status: 'passed',
  flaky: false,
  durationMs: 1.5,
  attempts: [],
  tags: [],
  day: '2026-11-27',
  at: new Date(),
  ...fields,
});

describe('result batch manifests', () => {
  const results = [
    result(0, { file: 'cart.spec.ts' }),
    result(1, {
      status: 'failed',
      fingerprint: '0123456789abcdef',
      attempts: [{ status: 'failed', durationMs: 3 }],
    }),
    result(2, { status: 'passed', flaky: true, attempts: [{ status: 'errored', durationMs: 1 }] }),
    result(3, { status: 'skipped', suite: 'pay "quoted" \u2603', name: 'ünïcode' }),
  ];

  it('lists every result of the batch with its id, suite and outcome', () => {
    const batch = toResultBatch(run, 'b0', results);
    expect(batch).toEqual(
      expect.objectContaining({ _id: 'shop|r1|b0', batch: 'b0', count: 4, day: '2026-11-27' }),
    );
    const facts = readResultBatch(batch);
    expect(facts.map((f) => f.id)).toEqual(results.map((r) => r._id));
    expect(batch.suites).toEqual(['cart', 'pay "quoted" \u2603']);
    expect(facts[0]).toEqual({
      id: 'shop|r1|b0|0',
      testId: results[0].testId,
      suite: 'cart',
      status: 'passed',
      flaky: false,
      durationMs: 1.5,
      attempts: 0,
    });
    expect(facts[1]).toEqual(
      expect.objectContaining({ status: 'failed', attempts: 1, fingerprint: '0123456789abcdef' }),
    );
    expect(facts[2]).toEqual(expect.objectContaining({ flaky: true, attempts: 1 }));
    expect(facts[3]).toEqual(expect.objectContaining({ suite: 'pay "quoted" \u2603', status: 'skipped' }));
  });

  it('refuses a manifest whose suites and outcomes disagree', () => {
    const batch = toResultBatch(run, 'b0', results);
    expect(() => readResultBatch({ ...batch, suiteOf: Buffer.alloc(2) })).toThrow(
      /lists 1 suites for 4 outcomes/,
    );
    expect(() => readResultBatch({ ...batch, suites: ['cart'] })).toThrow(/result 3 has no suite/);
  });
});
