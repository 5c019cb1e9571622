/**
 * Dashboard grid layout, like react-grid-layout: widgets sit on a grid of columns (12 on wide
 * screens), positions and sizes in cells, y growing downward. Users send the positions they want;
 * the server packs them upward without gaps and derives the layouts for narrower screens.
 */
export const GRID_COLUMNS = 12;

/** Screen widths a dashboard adapts to, widest first, and the grid columns it uses on each. */
export const BREAKPOINTS = [
  { name: 'lg', columns: 12, minWidthPx: 1200 },
  { name: 'md', columns: 8, minWidthPx: 900 },
  { name: 'sm', columns: 4, minWidthPx: 600 },
  { name: 'xs', columns: 1, minWidthPx: 0 },
] as const;

export type BreakpointName = (typeof BREAKPOINTS)[number]['name'];

/** A widget's place on the grid: column x, row y, width w and height h, in cells. */
export interface GridItem {
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Packs items on a grid of `columns`: no overlaps, no empty cell above an item that it could move up
 * into ("gravity up"), keeps the users' order (sorted by requested y, then x, then id for ties), widths
 * clamped to 1..columns and x so that x+w <= columns, heights >= 1. Items never move sideways.
 * Returns new objects, sorted by (y, x). Deterministic.
 */
export function packLayout(items: readonly GridItem[], columns: number = GRID_COLUMNS): GridItem[] {
  checkColumns(columns);
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new Error(`grid layout: duplicate item id ${JSON.stringify(item.id)}`);
    seen.add(item.id);
  }
  return placeInOrder(items.map((item) => clampItem(item, columns)).sort(byRequest));
}

/**
 * lg = packLayout(items, 12); for each smaller breakpoint, widths scale as max(1, round(w * columns / 12))
 * (capped at columns), x scales as floor(x * columns / 12), heights keep, then the items are packed on
 * that many columns in lg's order. xs stacks everything in one column in reading order.
 */
export function layoutsForBreakpoints(items: readonly GridItem[]): Record<BreakpointName, GridItem[]> {
  const lg = packLayout(items, GRID_COLUMNS);
  const layouts = {} as Record<BreakpointName, GridItem[]>;
  for (const { name, columns } of BREAKPOINTS) {
    if (columns === GRID_COLUMNS) {
      layouts[name] = lg;
      continue;
    }
    // Scaling keeps lg's (y, x) order; ties (x scaled to the same column) keep lg's order too.
    const scaled = lg.map((item) =>
      clampItem(
        {
          id: item.id,
          x: Math.floor((item.x * columns) / GRID_COLUMNS),
          y: item.y,
          w: Math.max(1, Math.round((item.w * columns) / GRID_COLUMNS)),
          h: item.h,
        },
        columns,
      ),
    );
    layouts[name] = placeInOrder(scaled);
  }
  return layouts;
}

/**
 * Where a new item of w×h goes in an existing packed layout: the first free position scanning rows
 * top-down then x left-right (fills holes first, else below everything). Returns the full packed
 * layout including the new item with id `id`.
 */
export function placeNewItem(
  layout: readonly GridItem[],
  id: string,
  w: number,
  h: number,
  columns: number = GRID_COLUMNS,
): GridItem[] {
  const packed = packLayout(layout, columns);
  const item = clampItem({ id, x: 0, y: 0, w, h }, columns);
  // The first free row is 0 or the bottom of some item; the lowest bottom of all always fits.
  for (const y of candidateRows(packed)) {
    for (let x = 0; x + item.w <= columns; x++) {
      const at = { ...item, x, y };
      if (!packed.some((other) => overlaps(at, other))) return packLayout([...packed, at], columns);
    }
  }
  throw new Error('grid layout: no free position'); // unreachable: below every item is free
}

function checkColumns(columns: number): void {
  if (!Number.isInteger(columns) || columns < 1) {
    throw new RangeError(`grid layout: columns must be a positive integer, got ${columns}`);
  }
}

/** A copy with whole cells: w in 1..columns, x in 0..columns-w, y >= 0, h >= 1; non-finite: 0 or 1. */
function clampItem(item: GridItem, columns: number): GridItem {
  const w = Math.min(columns, Math.max(1, Number.isFinite(item.w) ? Math.round(item.w) : 1));
  const h = Math.max(1, Number.isFinite(item.h) ? Math.round(item.h) : 1);
  const x = Math.min(columns - w, Math.max(0, Number.isFinite(item.x) ? Math.floor(item.x) : 0));
  const y = Math.max(0, Number.isFinite(item.y) ? Math.floor(item.y) : 0);
  return { id: item.id, x, y, w, h };
}

/** Places clamped items one by one, each at the lowest row where it fits in its column span. */
function placeInOrder(ordered: readonly GridItem[]): GridItem[] {
  const placed: GridItem[] = [];
  for (const item of ordered) {
    const y = candidateRows(placed).find(
      (row) => !placed.some((other) => overlaps({ ...item, y: row }, other)),
    );
    placed.push({ ...item, y: y ?? 0 }); // always found: below every placed item is free
  }
  return placed.sort(byPosition);
}

/** Row 0 and every item's bottom, ascending: the only rows where a lowest fit can start. */
function candidateRows(placed: readonly GridItem[]): number[] {
  return [...new Set([0, ...placed.map((item) => item.y + item.h)])].sort((a, b) => a - b);
}

function overlaps(a: GridItem, b: GridItem): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

function byPosition(a: GridItem, b: GridItem): number {
  return a.y - b.y || a.x - b.x;
}

function byRequest(a: GridItem, b: GridItem): number {
  return a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
