import {
  FAILURE_BYTES,
  OUTCOME_BYTES,
  TestOutcome,
  outcomeCount,
  packOutcomes,
  unpackOutcomes,
} from './run-outcomes';

const id = (n: number) => n.toString(16).padStart(24, '0');

describe('packed run outcomes', () => {
  const outcomes: TestOutcome[] = [
    { testId: id(1), status: 'passed', flaky: false, attempts: 0, durationMs: 12 },
    {
      testId: id(2),
      status: 'failed',
      flaky: false,
      attempts: 2,
      durationMs: 1500,
      fingerprint: 'abcdef0123456789',
    },
    { testId: id(3), status: 'passed', flaky: true, attempts: 1, durationMs: 0 },
    { testId: 'ffffffffffffffffffffffff', status: 'errored', flaky: false, attempts: 0, durationMs: 7 },
    { testId: id(5), status: 'skipped', flaky: false, attempts: 0, durationMs: 0 },
  ];

  it('round-trips every field, fingerprints only where given', () => {
    const packed = packOutcomes(outcomes);
    expect(packed.outcomes.byteLength).toBe(5 * OUTCOME_BYTES);
    expect(packed.failures.byteLength).toBe(FAILURE_BYTES);
    expect(unpackOutcomes(packed.outcomes, packed.failures)).toEqual(outcomes);
    expect(outcomeCount(packed.outcomes)).toBe(5);
  });

  it('keeps durations exactly, caps attempts, and reads nonsense durations as 0', () => {
    const packed = packOutcomes([
      { testId: id(1), status: 'passed', flaky: false, attempts: 70000, durationMs: 2.625 },
      { testId: id(2), status: 'passed', flaky: false, attempts: -1, durationMs: 604800000.5 },
      { testId: id(3), status: 'passed', flaky: false, attempts: 0, durationMs: Number.NaN },
      { testId: id(4), status: 'passed', flaky: false, attempts: 0, durationMs: -5 },
    ]);
    const [a, b, c, d] = unpackOutcomes(packed.outcomes);
    expect([a.durationMs, a.attempts]).toEqual([2.625, 65535]);
    expect([b.durationMs, b.attempts]).toEqual([604800000.5, 0]);
    expect([c.durationMs, d.durationMs]).toEqual([0, 0]);
  });

  it('reads bytes handed back as a plain Uint8Array view (as BSON binaries are)', () => {
    const packed = packOutcomes(outcomes);
    const backing = new Uint8Array(packed.outcomes.byteLength + 8);
    backing.set(packed.outcomes, 8);
    const view = new Uint8Array(backing.buffer, 8, packed.outcomes.byteLength);
    expect(unpackOutcomes(view).map((o) => o.testId)).toEqual(outcomes.map((o) => o.testId));
  });

  it('refuses what it cannot pack or read', () => {
    expect(() => packOutcomes([{ ...outcomes[0], testId: 'not-hex' }])).toThrow(/24 hex/);
    expect(() => packOutcomes([{ ...outcomes[1], fingerprint: 'xyz' }])).toThrow(/16 hex/);
    expect(() => unpackOutcomes(new Uint8Array(7))).toThrow(/multiple of 24/);
    const bad = packOutcomes([outcomes[0]]).outcomes;
    bad[12] = 9;
    expect(() => unpackOutcomes(bad)).toThrow(/unknown status/);
    const failures = Buffer.alloc(FAILURE_BYTES);
    failures.writeUInt32LE(4, 0);
    expect(() => unpackOutcomes(packOutcomes([outcomes[0]]).outcomes, failures)).toThrow(/beyond/);
  });
});
