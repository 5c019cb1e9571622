import { RESULT_LIMITS } from '@testpulse/contracts';
import { summarize } from '@testpulse/domain';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseJUnit } from './junit';

/** A full garbage collection, when the runtime lets us have one. */
function collector(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return undefined;
  }
}

const MB = 1024 * 1024;
const SUITES = 400;
const CASES_PER_SUITE = 25;

/**
 * A ~50 MB report whose bulk is what the parser must not keep: long property lists, a 10 MB
 * system-out, a 4 MB CDATA failure text and a 4 MB comment. Yields fresh Buffers of about 64 KB.
 */
async function* bigReport(onChunk: (chunk: Buffer, total: number) => void): AsyncGenerator<Buffer> {
  let total = 0;
  let pending = '';
  function* flush(force = false): Generator<Buffer> {
    while (pending.length >= 64 * 1024 || (force && pending.length > 0)) {
      const chunk = Buffer.from(pending.slice(0, 64 * 1024));
      pending = pending.slice(64 * 1024);
      total += chunk.length;
      onChunk(chunk, total);
      yield chunk;
    }
  }
  const property = (i: number) => `<property name="p${i}" value="${'v'.repeat(200)}"/>`;
  pending += '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="big" time="12.5">\n';
  for (let s = 0; s < SUITES; s++) {
    pending += `<testsuite name="suite-${s}" tests="${CASES_PER_SUITE}">\n<properties>`;
    for (let p = 0; p < 500; p++) {
      pending += property(p);
      yield* flush();
    }
    pending += '</properties>\n';
    for (let c = 0; c < CASES_PER_SUITE; c++) {
      pending += `<testcase name="case-${c}" classname="pkg.Suite${s}" time="0.01">`;
      if (s === 7 && c === 3) {
        pending += '<system-out>';
        for (let i = 0; i < 160; i++) {
          pending += 'output line that goes on and on\n'.repeat(2048);
          yield* flush();
        }
        pending += '</system-out>';
      }
      if (s === 9 && c === 1) {
        pending += '<failure message="big"><![CDATA[';
        for (let i = 0; i < 64; i++) {
          pending += 'at frame(file.js:1:1)\n'.repeat(3000);
          yield* flush();
        }
        pending += ']]></failure>';
      }
      if (s === 11 && c === 0) {
        pending += '<!--';
        for (let i = 0; i < 64; i++) {
          pending += 'a comment that nobody reads '.repeat(2400);
          yield* flush();
        }
        pending += '-->';
      }
      pending += '</testcase>\n';
    }
    pending += '</testsuite>\n';
    yield* flush();
  }
  pending += '</testsuites>\n';
  yield* flush(true);
}

describe('parseJUnit streams', () => {
  it('parses a 50 MB report in chunks keeping memory far below the input size and no chunk', async () => {
    const gc = collector();
    const heap = () => {
      gc?.();
      const { heapUsed, arrayBuffers } = process.memoryUsage();
      return heapUsed + arrayBuffers;
    };
    const baseline = heap();
    let peak = 0;
    let nextSample = 0;
    // Counts chunks that were collected (a WeakRef would keep its target alive until the microtask
    // queue drains, which it does not during the parse).
    let chunks = 0;
    let collected = 0;
    const registry = new FinalizationRegistry(() => (collected += 1));
    let bytes = 0;

    const report = await parseJUnit(
      bigReport((chunk, total) => {
        registry.register(chunk, undefined);
        chunks += 1;
        bytes = total;
        if (total >= nextSample) {
          nextSample += 5 * MB;
          peak = Math.max(peak, heap() - baseline);
        }
      }),
    );

    expect(bytes).toBeGreaterThan(50 * MB);
    const summary = summarize(report.results);
    expect(summary.tests).toBe(SUITES * CASES_PER_SUITE);
    expect(summary.failed).toBe(1);
    expect(report.durationMs).toBe(12500);
    const noisy = report.results.find((r) => r.suite === 'suite-7' && r.name === 'case-3');
    expect(noisy?.systemOut?.length).toBeLessThanOrEqual(RESULT_LIMITS.output);
    expect(noisy?.systemOut).toMatch(
      /^output line that goes on and on\n[\s\S]*truncated: \d+ more characters\]$/,
    );
    const failing = report.results.find((r) => r.status === 'failed');
    expect(failing?.error?.stack?.length).toBeLessThanOrEqual(RESULT_LIMITS.errorStack);
    expect(failing?.error?.message).toBe('big');

    // Memory: loosely, and only where a full collection can be forced (it always can in Node).
    if (gc) {
      expect(peak).toBeLessThan(60 * MB);
      for (let i = 0; i < 5 && collected < chunks - 2; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(chunks).toBeGreaterThan(800);
      expect(chunks - collected).toBeLessThanOrEqual(2);
    }
  }, 120_000);

  it('hands a text node larger than any buffer through in pieces (saxes-guard)', async () => {
    const gc = collector();
    const heap = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const baseline = heap();
    let peak = 0;
    async function* hugeText() {
      yield '<testsuite name="s"><testcase name="t"><system-err>';
      for (let i = 0; i < 40; i++) {
        yield `${i}`.padEnd(MB, '.');
        if (i % 8 === 7) peak = Math.max(peak, heap() - baseline);
      }
      yield '</system-err><failure message="m" type="';
      // An attribute value of 3 MB is cut, not kept whole.
      for (let i = 0; i < 3; i++) yield 'T'.repeat(MB);
      yield '"/></testcase></testsuite>';
    }
    const { results } = await parseJUnit(hugeText());
    expect(results[0].systemErr).toMatch(/^0\.{1000}/);
    expect(results[0].systemErr).toMatch(/…\[truncated: \d+ more characters\]$/);
    expect(results[0].error?.type?.length).toBeLessThanOrEqual(RESULT_LIMITS.errorType);
    // Without the guard saxes would hold the whole 40 MB node.
    if (gc) expect(peak).toBeLessThan(16 * MB);
  }, 60_000);
});
