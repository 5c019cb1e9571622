import { RESULT_STATUSES, ResultStatus } from './results';

/**
 * A run's test states, packed small: what flakiness and failure clusters read, by the test's number
 * in its project's catalogue (its ordinal) instead of its 12-byte testId, and without durations.
 * Entries are sorted by ordinal and run-length encoded: a run's tests mostly have consecutive
 * ordinals and mostly pass, so a run of 5,000 tests packs into a few hundred bytes to a few KB
 * (120 KB as packed outcomes), and 30 days of a large project read in a fraction of the time.
 *
 * `states`: groups of entries with consecutive ordinals and the same state, each
 *   varint   first ordinal minus the previous group's last ordinal (the first group: ordinal + 1;
 *            0 repeats the previous ordinal: a test executed twice in the run)
 *   varint   number of entries in the group (at least 1)
 *   byte     the state: bits 0..1 status (index in RESULT_STATUSES), bit 2 flaky (passed after a
 *            failed try)
 * `failures`: one 12-byte entry per failed or errored execution that has a fingerprint:
 *   bytes 0..3   index of the entry (in ordinal order, groups expanded) (uint32)
 *   bytes 4..11  failure fingerprint (16 hex characters as 8 bytes)
 */
export interface TestState {
  ordinal: number;
  status: ResultStatus;
  flaky: boolean;
  fingerprint?: string;
}

export interface PackedStates {
  states: Buffer;
  failures: Buffer;
}

export interface StateColumns {
  count: number;
  ordinal: Uint32Array;
  /** Index in RESULT_STATUSES. */
  status: Uint8Array;
  /** 1: passed after a failed or errored try in the run. */
  flaky: Uint8Array;
  /** Fingerprint by entry index. */
  fingerprints: Map<number, string>;
}

const STATE_FAILURE_BYTES = 12;
const HEX16 = /^[0-9a-f]{16}$/;

function writeVarint(bytes: number[], value: number): void {
  while (value >= 0x80) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 0x80);
  }
  bytes.push(value);
}

export function packStates(entries: readonly TestState[]): PackedStates {
  const sorted = [...entries].sort((a, b) => a.ordinal - b.ordinal);
  const failing = sorted.filter((e) => e.fingerprint !== undefined);
  const failures = Buffer.alloc(failing.length * STATE_FAILURE_BYTES);
  const bytes: number[] = [];
  let f = 0;
  let last = -1;
  for (let i = 0; i < sorted.length;) {
    const first = sorted[i];
    if (!Number.isInteger(first.ordinal) || first.ordinal < 0 || first.ordinal > 0xffffffff)
      throw new Error(`ordinal must be a uint32: ${first.ordinal}`);
    const state = RESULT_STATUSES.indexOf(first.status) | (first.flaky ? 4 : 0);
    let length = 1;
    while (
      i + length < sorted.length &&
      sorted[i + length].ordinal === first.ordinal + length &&
      (RESULT_STATUSES.indexOf(sorted[i + length].status) | (sorted[i + length].flaky ? 4 : 0)) === state
    )
      length += 1;
    writeVarint(bytes, first.ordinal - last);
    writeVarint(bytes, length);
    bytes.push(state);
    for (let k = i; k < i + length; k++) {
      const fingerprint = sorted[k].fingerprint;
      if (fingerprint === undefined) continue;
      if (!HEX16.test(fingerprint)) throw new Error(`fingerprint must be 16 hex characters: ${fingerprint}`);
      failures.writeUInt32LE(k, f * STATE_FAILURE_BYTES);
      failures.write(fingerprint, f * STATE_FAILURE_BYTES + 4, 8, 'hex');
      f += 1;
    }
    last = first.ordinal + length - 1;
    i += length;
  }
  return { states: Buffer.from(bytes), failures };
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function decodeStates(states: Uint8Array, failures: Uint8Array = new Uint8Array()): StateColumns {
  const bytes = asBuffer(states);
  const fails = asBuffer(failures);
  if (fails.byteLength % STATE_FAILURE_BYTES !== 0)
    throw new Error(`packed failures must be a multiple of ${STATE_FAILURE_BYTES} bytes`);
  let at = 0;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    let byte: number;
    do {
      if (at >= bytes.byteLength) throw new Error('packed states end inside a group');
      byte = bytes[at++];
      value += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte & 0x80);
    return value;
  };
  const groups: Array<[number, number, number]> = [];
  let count = 0;
  let last = -1;
  while (at < bytes.byteLength) {
    const first = last + varint();
    const length = varint();
    if (at >= bytes.byteLength) throw new Error('packed states end inside a group');
    const state = bytes[at++];
    if (length < 1) throw new Error(`packed group ${groups.length} is empty`);
    if (state > 7) throw new Error(`packed group ${groups.length} has no known state`);
    groups.push([first, length, state]);
    count += length;
    last = first + length - 1;
  }
  const ordinal = new Uint32Array(count);
  const status = new Uint8Array(count);
  const flaky = new Uint8Array(count);
  let i = 0;
  for (const [first, length, state] of groups)
    for (let k = 0; k < length; k++, i++) {
      ordinal[i] = first + k;
      status[i] = state & 3;
      flaky[i] = (state >> 2) & 1;
    }
  const fingerprints = new Map<number, string>();
  for (let f = 0; f < fails.byteLength; f += STATE_FAILURE_BYTES) {
    const index = fails.readUInt32LE(f);
    if (index >= count) throw new Error(`packed failure names entry ${index}, beyond the states`);
    fingerprints.set(index, fails.toString('hex', f + 4, f + 12));
  }
  return { count, ordinal, status, flaky, fingerprints };
}
