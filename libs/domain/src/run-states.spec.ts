import { TestState, decodeStates, packStates } from './run-states';

describe('packed run states', () => {
  const entries: TestState[] = [
    { ordinal: 300, status: 'failed', flaky: false, fingerprint: 'abcdef0123456789' },
    { ordinal: 0, status: 'passed', flaky: true },
    { ordinal: 5, status: 'skipped', flaky: false },
    { ordinal: 5, status: 'errored', flaky: false },
    { ordinal: 4_000_000_000, status: 'passed', flaky: false },
  ];

  it('round-trips every entry in ordinal order, fingerprints where given', () => {
    const packed = packStates(entries);
    const decoded = decodeStates(packed.states, packed.failures);
    expect(decoded.count).toBe(5);
    expect([...decoded.ordinal]).toEqual([0, 5, 5, 300, 4_000_000_000]);
    expect([...decoded.status]).toEqual([0, 3, 2, 1, 0]);
    expect([...decoded.flaky]).toEqual([1, 0, 0, 0, 0]);
    expect([...decoded.fingerprints]).toEqual([[3, 'abcdef0123456789']]);
  });

  it('packs consecutive ordinals in the same state as one group', () => {
    const run = Array.from({ length: 5000 }, (_, ordinal): TestState => ({
      ordinal,
      status: 'passed',
      flaky: false,
    }));
    run[2500] = { ordinal: 2500, status: 'failed', flaky: false, fingerprint: '0123456789abcdef' };
    run.push({ ordinal: 2500, status: 'passed', flaky: true });
    const packed = packStates(run);
    // [0..2499 passed] [2500 failed] [2500 flaky pass] [2501..4999 passed]: 4 groups of 3–5 bytes.
    expect(packed.states.byteLength).toBeLessThanOrEqual(20);
    const decoded = decodeStates(packed.states, packed.failures);
    expect(decoded.count).toBe(5001);
    expect([...decoded.ordinal.subarray(2499, 2503)]).toEqual([2499, 2500, 2500, 2501]);
    expect([...decoded.status.subarray(2499, 2503)]).toEqual([0, 1, 0, 0]);
    expect([...decoded.flaky.subarray(2499, 2503)]).toEqual([0, 0, 1, 0]);
    expect([...decoded.fingerprints]).toEqual([[2500, '0123456789abcdef']]);
    expect(decodeStates(packStates([]).states).count).toBe(0);
  });

  it('refuses what it cannot pack or read', () => {
    expect(() => packStates([{ ordinal: -1, status: 'passed', flaky: false }])).toThrow(/uint32/);
    expect(() => packStates([{ ordinal: 1, status: 'failed', flaky: false, fingerprint: 'x' }])).toThrow(
      /16 hex/,
    );
    expect(() => decodeStates(Buffer.from([0x81]))).toThrow(/inside a group/);
    expect(() => decodeStates(Buffer.from([1, 1]))).toThrow(/inside a group/);
    expect(() => decodeStates(Buffer.from([1, 1, 9]))).toThrow(/no known state/);
    expect(() => decodeStates(Buffer.from([1, 0, 0]))).toThrow(/empty/);
    const failures = Buffer.alloc(12);
    failures.writeUInt32LE(3, 0);
    expect(() => decodeStates(Buffer.from([1, 1, 0]), failures)).toThrow(/beyond/);
  });
});
