import { RESULT_STATUSES, ResultStatus } from './results';

/**
 * A run's per-test outcomes packed into bytes: the per-test history that analytics reads (flip
 * rates, same-commit disagreements, retries, per-test durations and failure clusters) without one
 * document per test execution. 200 runs of 5,000 tests decode from 24 MB in well under a second,
 * where the same history as 1,000,000 small documents takes minutes to read from the local
 * Mongo-compatible server.
 *
 * `outcomes`: one 24-byte entry per test execution, in the run's order:
 *   bytes 0..11  testId (24 hex characters as 12 bytes)
 *   byte  12     status (index in RESULT_STATUSES)
 *   byte  13     flags (bit 0: flaky, passed after a failed try in the run)
 *   bytes 14..15 attempts (tries before the final one, uint16, capped)
 *   bytes 16..23 duration in milliseconds (float64, as given: sums stay exact)
 * `failures`: one 12-byte entry per failed or errored execution that has a fingerprint:
 *   bytes 0..3   index of the execution in `outcomes` (uint32)
 *   bytes 4..11  failure fingerprint (16 hex characters as 8 bytes)
 */
export const OUTCOME_BYTES = 24;
export const FAILURE_BYTES = 12;

export interface TestOutcome {
  testId: string;
  status: ResultStatus;
  flaky: boolean;
  attempts: number;
  durationMs: number;
  fingerprint?: string;
}

export interface PackedOutcomes {
  outcomes: Buffer;
  failures: Buffer;
}

const STATUS_CODE: Record<ResultStatus, number> = Object.fromEntries(
  RESULT_STATUSES.map((status, code) => [status, code]),
) as Record<ResultStatus, number>;
const HEX24 = /^[0-9a-f]{24}$/;
const HEX16 = /^[0-9a-f]{16}$/;
const MAX_U16 = 0xffff;

const clamp = (value: number, max: number): number =>
  Number.isFinite(value) ? Math.min(max, Math.max(0, Math.round(value))) : 0;
const duration = (value: number): number => (Number.isFinite(value) && value > 0 ? value : 0);

export function packOutcomes(outcomes: readonly TestOutcome[]): PackedOutcomes {
  const packed = Buffer.alloc(outcomes.length * OUTCOME_BYTES);
  const failing = outcomes.filter((o) => o.fingerprint !== undefined).length;
  const failures = Buffer.alloc(failing * FAILURE_BYTES);
  let f = 0;
  outcomes.forEach((outcome, index) => {
    if (!HEX24.test(outcome.testId)) throw new Error(`testId must be 24 hex characters: ${outcome.testId}`);
    const at = index * OUTCOME_BYTES;
    packed.write(outcome.testId, at, 12, 'hex');
    packed[at + 12] = STATUS_CODE[outcome.status];
    packed[at + 13] = outcome.flaky ? 1 : 0;
    packed.writeUInt16LE(clamp(outcome.attempts, MAX_U16), at + 14);
    packed.writeDoubleLE(duration(outcome.durationMs), at + 16);
    if (outcome.fingerprint !== undefined) {
      if (!HEX16.test(outcome.fingerprint))
        throw new Error(`fingerprint must be 16 hex characters: ${outcome.fingerprint}`);
      failures.writeUInt32LE(index, f * FAILURE_BYTES);
      failures.write(outcome.fingerprint, f * FAILURE_BYTES + 4, 8, 'hex');
      f += 1;
    }
  });
  return { outcomes: packed, failures };
}

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** How many executions a packed `outcomes` holds. */
export function outcomeCount(outcomes: Uint8Array): number {
  if (outcomes.byteLength % OUTCOME_BYTES !== 0)
    throw new Error(`packed outcomes must be a multiple of ${OUTCOME_BYTES} bytes`);
  return outcomes.byteLength / OUTCOME_BYTES;
}

/**
 * A run's packed outcomes as columns: for reading many runs without one object (and one hex string)
 * per execution. The testIds stay in the packed bytes: `testKeyAt` gives one as a latin1 string (a
 * cheap map key; `testIdOfKey` turns it into the testId) and `sameTestId` compares two in place.
 */
export interface OutcomeColumns {
  count: number;
  packed: Buffer;
  /** Index in RESULT_STATUSES. */
  status: Uint8Array;
  /** 1: passed after a failed or errored try in the run. */
  flaky: Uint8Array;
  attempts: Uint16Array;
  durationMs: Float64Array;
  /** Fingerprint by execution index, for the failed or errored executions that have one. */
  fingerprints: Map<number, string>;
}

export const testKeyAt = (columns: OutcomeColumns, i: number): string =>
  columns.packed.toString('latin1', i * OUTCOME_BYTES, i * OUTCOME_BYTES + 12);

export const testIdOfKey = (key: string): string => Buffer.from(key, 'latin1').toString('hex');

/** Whether execution `i` of `a` and execution `j` of `b` are of the same test. */
export function sameTestId(a: OutcomeColumns, i: number, b: OutcomeColumns, j: number): boolean {
  const x = i * OUTCOME_BYTES;
  const y = j * OUTCOME_BYTES;
  return (
    a.packed.readUInt32LE(x) === b.packed.readUInt32LE(y) &&
    a.packed.readUInt32LE(x + 4) === b.packed.readUInt32LE(y + 4) &&
    a.packed.readUInt32LE(x + 8) === b.packed.readUInt32LE(y + 8)
  );
}

export function decodeOutcomeColumns(
  outcomes: Uint8Array,
  failures: Uint8Array = new Uint8Array(),
): OutcomeColumns {
  const bytes = asBuffer(outcomes);
  const fails = asBuffer(failures);
  if (fails.byteLength % FAILURE_BYTES !== 0)
    throw new Error(`packed failures must be a multiple of ${FAILURE_BYTES} bytes`);
  const count = outcomeCount(bytes);
  const columns: OutcomeColumns = {
    count,
    packed: bytes,
    status: new Uint8Array(count),
    flaky: new Uint8Array(count),
    attempts: new Uint16Array(count),
    durationMs: new Float64Array(count),
    fingerprints: new Map(),
  };
  for (let i = 0; i < count; i++) {
    const at = i * OUTCOME_BYTES;
    if (bytes[at + 12] >= RESULT_STATUSES.length)
      throw new Error(`packed outcome ${i} has an unknown status code`);
    columns.status[i] = bytes[at + 12];
    columns.flaky[i] = bytes[at + 13] & 1;
    columns.attempts[i] = bytes.readUInt16LE(at + 14);
    columns.durationMs[i] = bytes.readDoubleLE(at + 16);
  }
  for (let at = 0; at < fails.byteLength; at += FAILURE_BYTES) {
    const index = fails.readUInt32LE(at);
    if (index >= count) throw new Error(`packed failure names execution ${index}, beyond the outcomes`);
    columns.fingerprints.set(index, fails.toString('hex', at + 4, at + 12));
  }
  return columns;
}

export function unpackOutcomes(outcomes: Uint8Array, failures: Uint8Array = new Uint8Array()): TestOutcome[] {
  const c = decodeOutcomeColumns(outcomes, failures);
  return Array.from({ length: c.count }, (_, i) => {
    const fingerprint = c.fingerprints.get(i);
    return {
      testId: c.packed.toString('hex', i * OUTCOME_BYTES, i * OUTCOME_BYTES + 12),
      status: RESULT_STATUSES[c.status[i]],
      flaky: c.flaky[i] === 1,
      attempts: c.attempts[i],
      durationMs: c.durationMs[i],
      ...(fingerprint !== undefined ? { fingerprint } : {}),
    };
  });
}
