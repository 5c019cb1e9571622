import { RESULT_STATUSES, ResultStatus } from './results';

/**
 * A run's test states, packed small: what flakiness and failure clusters read, by the test's number
 * in its project's catalogue (its ordinal) instead of its 12-byte testId, and without durations.
 * About 2 bytes per execution (10 KB for a run of 5,000 tests, against 120 KB of packed outcomes),
 * so 30 days of a large project read in a fraction of the time.
 *
 * `states`: one entry per execution, sorted by ordinal:
 *   varint   ordinal minus the previous entry's ordinal (the first: the ordinal itself)
 *   byte     bits 0..1 status (index in RESULT_STATUSES), bit 2 flaky (passed after a failed try)
 * `failures`: one 12-byte entry per failed or errored execution that has a fingerprint:
 *   bytes 0..3   index of the entry in `states` (uint32)
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

export function packStates(entries: readonly TestState[]): PackedStates {
  const sorted = [...entries].sort((a, b) => a.ordinal - b.ordinal);
  const bytes = Buffer.alloc(sorted.length * 6);
  const failing = sorted.filter((e) => e.fingerprint !== undefined);
  const failures = Buffer.alloc(failing.length * STATE_FAILURE_BYTES);
  let at = 0;
  let f = 0;
  let previous = 0;
  sorted.forEach((entry, index) => {
    if (!Number.isInteger(entry.ordinal) || entry.ordinal < 0 || entry.ordinal > 0xffffffff)
      throw new Error(`ordinal must be a uint32: ${entry.ordinal}`);
    let delta = entry.ordinal - previous;
    previous = entry.ordinal;
    while (delta >= 0x80) {
      bytes[at++] = (delta & 0x7f) | 0x80;
      delta = Math.floor(delta / 0x80);
    }
    bytes[at++] = delta;
    bytes[at++] = RESULT_STATUSES.indexOf(entry.status) | (entry.flaky ? 4 : 0);
    if (entry.fingerprint !== undefined) {
      if (!HEX16.test(entry.fingerprint))
        throw new Error(`fingerprint must be 16 hex characters: ${entry.fingerprint}`);
      failures.writeUInt32LE(index, f * STATE_FAILURE_BYTES);
      failures.write(entry.fingerprint, f * STATE_FAILURE_BYTES + 4, 8, 'hex');
      f += 1;
    }
  });
  return { states: Buffer.from(bytes.subarray(0, at)), failures };
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

export function decodeStates(states: Uint8Array, failures: Uint8Array = new Uint8Array()): StateColumns {
  const bytes = asBuffer(states);
  const fails = asBuffer(failures);
  if (fails.byteLength % STATE_FAILURE_BYTES !== 0)
    throw new Error(`packed failures must be a multiple of ${STATE_FAILURE_BYTES} bytes`);
  // Every entry takes at least 2 bytes: this bounds the count from above.
  const capacity = bytes.byteLength >> 1;
  const ordinal = new Uint32Array(capacity);
  const status = new Uint8Array(capacity);
  const flaky = new Uint8Array(capacity);
  let count = 0;
  let previous = 0;
  let at = 0;
  while (at < bytes.byteLength) {
    let delta = 0;
    let scale = 1;
    let byte: number;
    do {
      if (at >= bytes.byteLength) throw new Error('packed states end inside an entry');
      byte = bytes[at++];
      delta += (byte & 0x7f) * scale;
      scale *= 0x80;
    } while (byte & 0x80);
    if (at >= bytes.byteLength) throw new Error('packed states end inside an entry');
    const state = bytes[at++];
    if ((state & 3) >= RESULT_STATUSES.length || state > 7)
      throw new Error(`packed state ${count} is not a known state`);
    previous += delta;
    ordinal[count] = previous;
    status[count] = state & 3;
    flaky[count] = (state >> 2) & 1;
    count += 1;
  }
  const fingerprints = new Map<number, string>();
  for (let f = 0; f < fails.byteLength; f += STATE_FAILURE_BYTES) {
    const index = fails.readUInt32LE(f);
    if (index >= count) throw new Error(`packed failure names entry ${index}, beyond the states`);
    fingerprints.set(index, fails.toString('hex', f + 4, f + 12));
  }
  return {
    count,
    ordinal: ordinal.subarray(0, count),
    status: status.subarray(0, count),
    flaky: flaky.subarray(0, count),
    fingerprints,
  };
}
