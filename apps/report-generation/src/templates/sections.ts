import { REPORT_LIMITS, ReportCell, ReportSectionView } from '@testpulse/contracts';

export interface SectionInput {
  key: string;
  title: string;
  project?: string;
  figures?: Record<string, ReportCell | undefined>;
  rows?: Array<Record<string, unknown>>;
  /** Rows that matched before anything was cut (default: rows.length). */
  total?: number;
  /** Largest number of rows kept (default and ceiling: REPORT_LIMITS.sectionItems). */
  limit?: number;
  notes?: string[];
}

/** A bounded section: at most `limit` rows, saying so when it cut the list. */
export function section(input: SectionInput): ReportSectionView {
  const rows = input.rows ?? [];
  const limit = Math.min(input.limit ?? REPORT_LIMITS.sectionItems, REPORT_LIMITS.sectionItems);
  const total = Math.max(input.total ?? rows.length, rows.length);
  const items = rows.slice(0, limit);
  const capped = items.length < total;
  const notes = [...(input.notes ?? [])];
  if (capped) notes.push(`showing ${items.length} of ${total} rows`);
  const figures: Record<string, ReportCell> = {};
  for (const [name, value] of Object.entries(input.figures ?? {}))
    if (value !== undefined) figures[name] = value;
  return {
    key: input.key,
    title: input.title,
    ...(input.project !== undefined ? { project: input.project } : {}),
    figures,
    items,
    total,
    capped,
    ...(notes.length ? { notes } : {}),
  };
}

/** A share rounded to 4 decimals; null when there is nothing to divide. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

/** Text cut to `max` characters, marked when cut. */
export function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined || text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/** `fn` over `items` with at most `limit` calls in flight; results in the order of `items`. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Projects assembled at once: each asks several services. */
export const PROJECT_CONCURRENCY = 4;
