import { Model } from 'mongoose';

/** Lookups in flight at once: enough to hide round trips, few enough not to crowd the server. */
const CONCURRENCY = 8;

/**
 * The documents with these `_id`s, in the same order (`null` where none is stored), one `_id`
 * equality lookup each. The local default (FerretDB, SQLite) pushes down only a filter that is a
 * single `_id` equality: `{_id: {$in: [...]}}` or any other filter scans the whole collection.
 */
export async function findByIds<T extends { _id: string }>(
  model: Model<T>,
  ids: readonly string[],
  projection?: Record<string, 0 | 1>,
): Promise<Array<T | null>> {
  const found: Array<T | null> = new Array(ids.length).fill(null);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const index = next++;
      found[index] = await model.findById(ids[index], projection).lean<T>().exec();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return found;
}
