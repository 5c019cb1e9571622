import { REPORT_LIMITS } from '@testpulse/contracts';
import { clip, mapLimit, ratio, section } from './sections';

describe('section', () => {
  it('caps rows and says so', () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ i }));
    const capped = section({ key: 'k', title: 'T', rows });
    expect(capped.items).toHaveLength(REPORT_LIMITS.sectionItems);
    expect(capped).toEqual(
      expect.objectContaining({ total: 250, capped: true, notes: ['showing 100 of 250 rows'] }),
    );
    const small = section({
      key: 'k',
      title: 'T',
      rows: rows.slice(0, 3),
      limit: 2,
      figures: { a: 1, b: undefined },
    });
    expect(small).toEqual({
      key: 'k',
      title: 'T',
      figures: { a: 1 },
      items: [{ i: 0 }, { i: 1 }],
      total: 3,
      capped: true,
      notes: ['showing 2 of 3 rows'],
    });
    expect(section({ key: 'k', title: 'T', rows: rows.slice(0, 2), total: 40 })).toEqual(
      expect.objectContaining({ total: 40, capped: true }),
    );
    expect(section({ key: 'k', title: 'T' })).toEqual(
      expect.objectContaining({ items: [], total: 0, capped: false }),
    );
  });
});

describe('helpers', () => {
  it('rounds ratios and clips text', () => {
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(1, 0)).toBeNull();
    expect(clip('abcdef', 4)).toBe('abcd… [2 more characters]');
    expect(clip('abc', 4)).toBe('abc');
  });

  it('maps with bounded concurrency, keeping the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 30, 20, 40]);
    expect(peak).toBe(2);
  });
});
