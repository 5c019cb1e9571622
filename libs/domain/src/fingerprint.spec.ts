import { failureFingerprint, normalizeFailureText, topStackFrames } from './fingerprint';
import { testId } from './test-id';
import { durationBucket, bucketBounds } from './histogram';

describe('failure fingerprints', () => {
  it('strips numbers, ids, hex, timestamps, paths and line numbers', () => {
    expect(normalizeFailureText('Expected 200 but got 503 at 2026-11-27T10:00:01.123Z')).toBe(
      'expected <n> but got <n> at <ts>',
    );
    expect(normalizeFailureText('order 3f2b9c1e-5d7a-4b8e-9c0d-1e2f3a4b5c6d not found')).toBe(
      'order <uuid> not found',
    );
    expect(normalizeFailureText('pointer 0x7ffde4a1 and commit a1b2c3d4e5f6a7b8')).toBe(
      'pointer <hex> and commit <hex>',
    );
    expect(normalizeFailureText('at /home/ci/build-17/src/cart.ts:42:13')).toBe('at cart.ts:<n>');
    expect(normalizeFailureText('C:\\agent\\_work\\3\\s\\Cart.cs:line 7')).toBe('cart.cs:line <n>');
  });

  it('gives the same hash to the same problem seen twice and different ones to different problems', () => {
    const a = failureFingerprint({
      type: 'AssertionError',
      message: 'expected 3 items, got 2 (run 8812)',
      stack:
        'AssertionError: x\n    at Cart.add (/ci/run-1/src/cart.ts:10:5)\n    at Object.<anonymous> (/ci/run-1/test/cart.spec.ts:20:3)',
    });
    const b = failureFingerprint({
      type: 'AssertionError',
      message: 'expected 4 items, got 1 (run 9001)',
      stack:
        'AssertionError: y\n    at Cart.add (/ci/run-77/src/cart.ts:11:5)\n    at Object.<anonymous> (/ci/run-77/test/cart.spec.ts:29:3)',
    });
    const other = failureFingerprint({ type: 'TimeoutError', message: 'timed out after 5000 ms' });
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.hash).toBe(b.hash);
    expect(other.hash).not.toBe(a.hash);
  });

  it('keeps only the top stack frames of several languages', () => {
    const java =
      'java.lang.AssertionError\n\tat com.acme.CartTest.adds(CartTest.java:42)\n\tat a.b(C.java:1)\n\tat d.e(F.java:2)\n\tat g.h(I.java:3)';
    expect(topStackFrames(java)).toHaveLength(3);
    expect(topStackFrames('Traceback:\n  File "/x/test_cart.py", line 12, in test_add')).toEqual([
      'file "test_cart.py", line <n>, in test_add',
    ]);
    expect(topStackFrames(undefined)).toEqual([]);
  });
});

describe('test ids', () => {
  it('is stable and depends on project, suite, name and file', () => {
    expect(testId('p', 's', 'n', 'f')).toBe(testId('p', 's', 'n', 'f'));
    expect(testId('p', 's', 'n', 'f')).toMatch(/^[0-9a-f]{24}$/);
    expect(testId('p', 's', 'n')).not.toBe(testId('p', 's', 'n', 'f'));
    expect(testId('p', 'sn', '')).not.toBe(testId('p', 's', 'n'));
  });
});

describe('duration histogram', () => {
  it('puts durations in log2 buckets', () => {
    expect(durationBucket(0)).toBe(0);
    expect(durationBucket(0.5)).toBe(0);
    expect(durationBucket(1)).toBe(1);
    expect(durationBucket(1.9)).toBe(1);
    expect(durationBucket(2)).toBe(2);
    expect(durationBucket(1000)).toBe(10);
    expect(bucketBounds(10)).toEqual([512, 1024]);
    expect(durationBucket(1e12)).toBe(31);
    expect(durationBucket(Number.NaN)).toBe(0);
  });
});
