import { Model, mongo } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Inserts the documents whose `_id` is not stored yet and returns the positions of those this call
 * inserted: one unordered insertMany in which duplicate-key errors mean "already there" (a retry, or
 * another request). Unordered on purpose: FerretDB 1.24 does not stop an ordered insert at the first
 * error (it goes on in chunks of 100 and reports one error per chunk), so only per-document errors
 * say exactly what was inserted. No lookups and no upserts: on FerretDB a filter other than one
 * `_id` equality scans the collection, while inserts are cheap.
 */
export async function insertNew<T extends { _id: string }>(model: Model<T>, docs: T[]): Promise<number[]> {
  if (docs.length === 0) return [];
  const all = docs.map((_, index) => index);
  try {
    await model.collection.insertMany(docs as unknown as Array<Record<string, unknown>>, { ordered: false });
    return all;
  } catch (error) {
    const refused = refusedDuplicates(error);
    return all.filter((index) => !refused.has(index));
  }
}

/** The positions a bulk insert refused; rethrows unless every refusal is a duplicate `_id`. */
function refusedDuplicates(error: unknown): Set<number> {
  if (!(error instanceof mongo.MongoBulkWriteError)) throw error;
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw error;
  return new Set(writeErrors.map((e) => e.index));
}
