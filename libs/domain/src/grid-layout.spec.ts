import {
  BREAKPOINTS,
  GRID_COLUMNS,
  GridItem,
  layoutsForBreakpoints,
  packLayout,
  placeNewItem,
} from './grid-layout';

const item = (id: string, x: number, y: number, w: number, h: number): GridItem => ({ id, x, y, w, h });

function overlaps(a: GridItem, b: GridItem): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** What is wrong with a layout: outside the grid, overlaps, an item that could move up, out of (y, x) order. */
function packingProblems(layout: GridItem[], columns: number): string[] {
  const problems: string[] = [];
  for (const [i, a] of layout.entries()) {
    const cells = [a.x, a.y, a.w, a.h];
    if (!cells.every(Number.isInteger)) problems.push(`${a.id} not whole cells`);
    if (a.x < 0 || a.y < 0 || a.w < 1 || a.h < 1 || a.x + a.w > columns) problems.push(`${a.id} off grid`);
    for (const b of layout.slice(i + 1)) if (overlaps(a, b)) problems.push(`${a.id} overlaps ${b.id}`);
    const up = { ...a, y: a.y - 1 };
    if (a.y > 0 && !layout.some((b) => b !== a && overlaps(up, b))) problems.push(`${a.id} can move up`);
    const prev = layout[i - 1];
    if (prev && !(prev.y < a.y || (prev.y === a.y && prev.x < a.x))) problems.push(`${a.id} out of order`);
  }
  return problems;
}

/** Seeded linear congruential generator: the same layouts on every run. */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

describe('grid layout', () => {
  it('pushes overlapping items down', () => {
    expect(packLayout([item('a', 0, 0, 4, 2), item('b', 2, 0, 4, 1)])).toEqual([
      item('a', 0, 0, 4, 2),
      item('b', 2, 2, 4, 1),
    ]);
    // c asks for row 1, over a's second row: it goes under a; d does not overlap and stays beside.
    expect(packLayout([item('a', 0, 0, 6, 2), item('c', 4, 1, 4, 1), item('d', 8, 0, 4, 3)])).toEqual([
      item('a', 0, 0, 6, 2),
      item('d', 8, 0, 4, 3),
      item('c', 4, 2, 4, 1),
    ]);
  });

  it('moves floating items up into the gap above them, never sideways', () => {
    expect(packLayout([item('a', 3, 5, 3, 1)])).toEqual([item('a', 3, 0, 3, 1)]);
    expect(packLayout([item('a', 0, 0, 6, 2), item('b', 6, 4, 6, 1), item('c', 0, 9, 2, 1)])).toEqual([
      item('a', 0, 0, 6, 2),
      item('b', 6, 0, 6, 1),
      item('c', 0, 2, 2, 1),
    ]);
  });

  it("keeps the users' order: requested y, then x, then id; the input order does not matter", () => {
    const items = [
      item('low', 0, 3, 12, 1),
      item('b', 0, 0, 12, 1),
      item('a', 0, 0, 12, 1),
      item('high', 0, 1, 12, 2),
    ];
    const expected = [
      item('a', 0, 0, 12, 1),
      item('b', 0, 1, 12, 1),
      item('high', 0, 2, 12, 2),
      item('low', 0, 4, 12, 1),
    ];
    expect(packLayout(items)).toEqual(expected);
    expect(packLayout([...items].reverse())).toEqual(expected);
    // Same row: the leftmost request is placed first and wins the contested cells.
    expect(packLayout([item('right', 4, 0, 6, 1), item('left', 0, 0, 6, 1)])).toEqual([
      item('left', 0, 0, 6, 1),
      item('right', 4, 1, 6, 1),
    ]);
  });

  it('clamps widths to 1..columns and heights to at least 1, treating non-finite numbers as 0 or 1', () => {
    expect(packLayout([item('wide', 0, 0, 20, 1)])).toEqual([item('wide', 0, 0, 12, 1)]);
    expect(packLayout([item('zero', 0, 0, 0, 0)])).toEqual([item('zero', 0, 0, 1, 1)]);
    expect(packLayout([item('neg', 0, 0, -3, -2)])).toEqual([item('neg', 0, 0, 1, 1)]);
    expect(packLayout([item('nan', NaN, Infinity, NaN, -Infinity)])).toEqual([item('nan', 0, 0, 1, 1)]);
    expect(packLayout([item('wide', 2, 0, 9, 1)], 4)).toEqual([item('wide', 0, 0, 4, 1)]);
    expect(packLayout([item('frac', 1.7, 0.5, 2.4, 1.6)])).toEqual([item('frac', 1, 0, 2, 2)]);
  });

  it('clamps x so that x + w <= columns', () => {
    expect(packLayout([item('a', 10, 0, 4, 1)])).toEqual([item('a', 8, 0, 4, 1)]);
    expect(packLayout([item('a', 11, 0, 1, 1)])).toEqual([item('a', 11, 0, 1, 1)]);
    expect(packLayout([item('a', -5, 0, 3, 1)])).toEqual([item('a', 0, 0, 3, 1)]);
    expect(packLayout([item('a', 3, 0, 2, 1)], 4)).toEqual([item('a', 2, 0, 2, 1)]);
  });

  it('returns new objects with only the grid fields and leaves the input alone', () => {
    const input = [{ ...item('a', 0, 4, 3, 1), title: 'extra' } as GridItem];
    const [out] = packLayout(input);
    expect(out).not.toBe(input[0]);
    expect(out).toEqual(item('a', 0, 0, 3, 1));
    expect(input[0]).toEqual({ ...item('a', 0, 4, 3, 1), title: 'extra' });
    expect(packLayout([])).toEqual([]);
  });

  it('throws on duplicate ids, naming the id, and on bad column counts', () => {
    expect(() => packLayout([item('chart-1', 0, 0, 1, 1), item('chart-1', 2, 0, 1, 1)])).toThrow(/chart-1/);
    expect(() => placeNewItem([item('chart-2', 0, 0, 1, 1)], 'chart-2', 1, 1)).toThrow(/chart-2/);
    expect(() => packLayout([], 0)).toThrow(/columns/);
    expect(() => packLayout([], 2.5)).toThrow(/columns/);
  });

  it('places a new item in the first hole that fits, else below everything', () => {
    // Row 1 has a hole at x 4..7, one row tall.
    const layout = packLayout([
      item('a', 0, 0, 4, 2),
      item('b', 4, 0, 4, 1),
      item('c', 8, 0, 4, 2),
      item('d', 0, 2, 12, 1),
    ]);
    expect(placeNewItem(layout, 'n', 4, 1)).toEqual([
      item('a', 0, 0, 4, 2),
      item('b', 4, 0, 4, 1),
      item('c', 8, 0, 4, 2),
      item('n', 4, 1, 4, 1),
      item('d', 0, 2, 12, 1),
    ]);
    expect(placeNewItem(layout, 'n', 2, 1)).toContainEqual(item('n', 4, 1, 2, 1));
    // Too wide or too tall for the hole: below d.
    expect(placeNewItem(layout, 'n', 5, 1)).toContainEqual(item('n', 0, 3, 5, 1));
    expect(placeNewItem(layout, 'n', 4, 2)).toContainEqual(item('n', 0, 3, 4, 2));
    // Beside the last row when it has room, clamped like any item.
    expect(placeNewItem([item('a', 0, 0, 6, 1)], 'n', 3, 2)).toEqual([
      item('a', 0, 0, 6, 1),
      item('n', 6, 0, 3, 2),
    ]);
    expect(placeNewItem([], 'n', 20, 0)).toEqual([item('n', 0, 0, 12, 1)]);
    expect(placeNewItem([item('a', 0, 0, 3, 1)], 'n', 2, 1, 4)).toEqual([
      item('a', 0, 0, 3, 1),
      item('n', 0, 1, 2, 1),
    ]);
  });

  it('derives md, sm and xs layouts from lg by scaling and packing again', () => {
    const layouts = layoutsForBreakpoints([
      item('a', 0, 0, 8, 2),
      item('b', 8, 0, 4, 3),
      item('c', 0, 0, 3, 1),
    ]);
    expect(Object.keys(layouts)).toEqual(BREAKPOINTS.map((b) => b.name));
    // lg: c asks for row 0 too but sorts after a (x 0, id) and lands under it.
    expect(layouts.lg).toEqual([item('a', 0, 0, 8, 2), item('b', 8, 0, 4, 3), item('c', 0, 2, 3, 1)]);
    // md (8 columns): a w round(5.33)=5; b w round(2.67)=3, x floor(5.33)=5; c w 2.
    expect(layouts.md).toEqual([item('a', 0, 0, 5, 2), item('b', 5, 0, 3, 3), item('c', 0, 2, 2, 1)]);
    // sm (4 columns): a w round(2.67)=3; b w round(1.33)=1, x floor(2.67)=2 is under a, so row 2; c w 1.
    expect(layouts.sm).toEqual([item('a', 0, 0, 3, 2), item('c', 0, 2, 1, 1), item('b', 2, 2, 1, 3)]);
    // xs: one column, lg's reading order.
    expect(layouts.xs).toEqual([item('a', 0, 0, 1, 2), item('b', 0, 2, 1, 3), item('c', 0, 5, 1, 1)]);
  });

  it('keeps lg reading order when narrower columns tie on x', () => {
    // On 4 columns x 0 and x 1 both scale to 0: 'z' (left in lg) still comes first.
    const layouts = layoutsForBreakpoints([item('z', 0, 0, 1, 1), item('a', 1, 0, 1, 1)]);
    expect(layouts.sm).toEqual([item('z', 0, 0, 1, 1), item('a', 0, 1, 1, 1)]);
    expect(layouts.xs).toEqual([item('z', 0, 0, 1, 1), item('a', 0, 1, 1, 1)]);
  });

  it('packs 200 random layouts without overlaps or gaps, stably, on every breakpoint', () => {
    const next = lcg(20260601);
    for (let round = 0; round < 200; round++) {
      const count = next(16);
      const items: GridItem[] = Array.from({ length: count }, (_, i) =>
        item(`w${i}`, next(16) - 2, next(24), next(15) - 1, next(6)),
      );
      if (round % 10 === 0 && count > 0) items[0] = item('w0', NaN, Infinity, NaN, NaN);
      const columns = [GRID_COLUMNS, 8, 4, 1][round % 4];
      const packed = packLayout(items, columns);
      expect(packed.map((i) => i.id).sort()).toEqual(items.map((i) => i.id).sort());
      expect(packingProblems(packed, columns)).toEqual([]);
      expect(packLayout(packed, columns)).toEqual(packed);

      const layouts = layoutsForBreakpoints(items);
      for (const { name, columns: breakpointColumns } of BREAKPOINTS) {
        expect(layouts[name]).toHaveLength(count);
        expect(packingProblems(layouts[name], breakpointColumns)).toEqual([]);
      }

      const added = placeNewItem(packed, 'new', next(6) + 1, next(3) + 1, columns);
      expect(packingProblems(added, columns)).toEqual([]);
      const kept = added.filter((i) => i.id !== 'new');
      expect(kept).toEqual(packed);
    }
  });
});
