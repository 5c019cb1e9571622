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

  it('takes about two bytes per execution for consecutive ordinals', () => {
    const run = Array.from({ length: 5000 }, (_, ordinal): TestState => ({
      ordinal,
      status: 'passed',
      flaky: false,
    }));
    expect(packStates(run).states.byteLength).toBe(10_000);
    expect(decodeStates(packStates([]).states).count).toBe(0);
  });

  it('refuses what it cannot pack or read', () => {
    expect(() => packStates([{ ordinal: -1, status: 'passed', flaky: false }])).toThrow(/uint32/);
    expect(() => packStates([{ ordinal: 1, status: 'failed', flaky: false, fingerprint: 'x' }])).toThrow(
      /16 hex/,
    );
    expect(() => decodeStates(Buffer.from([0x81]))).toThrow(/inside an entry/);
    expect(() => decodeStates(Buffer.from([1, 9]))).toThrow(/not a known state/);
    const failures = Buffer.alloc(12);
    failures.writeUInt32LE(3, 0);
    expect(() => decodeStates(Buffer.from([1, 0]), failures)).toThrow(/beyond/);
  });
});
