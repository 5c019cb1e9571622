import { Model } from 'mongoose';

const DUPLICATE_KEY = 11000;

/**
 * Inserts the documents whose `_id` is not stored yet and returns the positions of those this call
 * inserted. A new batch is one ordered insertMany; when one is already stored (a retry, or another
 * request), the rest is looked up and the missing ones inserted. Upserts would do the same one by
 * one, which the Mongo-compatible server used locally (FerretDB) makes slow.
 */
export async function insertNew<T extends { _id: string }>(model: Model<T>, docs: T[]): Promise<number[]> {
  const inserted: number[] = [];
  let pending = docs.map((doc, index) => ({ doc, index }));
  for (let attempt = 0; attempt < 5 && pending.length > 0; attempt++) {
    if (attempt > 0) {
      const ids = pending.map(({ doc }) => doc._id);
      const stored = await model
        .find({ _id: { $in: ids } }, { _id: 1 })
        .lean<Array<{ _id: string }>>()
        .exec();
      const known = new Set(stored.map((doc) => doc._id));
      pending = pending.filter(({ doc }) => !known.has(doc._id));
      if (pending.length === 0) break;
    }
    try {
      await model.collection.insertMany(
        pending.map(({ doc }) => doc as unknown as Record<string, unknown>),
        { ordered: true },
      );
      inserted.push(...pending.map(({ index }) => index));
      pending = [];
    } catch (error) {
      const { code, insertedCount = 0 } = error as { code?: number; insertedCount?: number };
      if (code !== DUPLICATE_KEY) throw error;
      // An ordered insert stops at the stored document; those before it are ours.
      inserted.push(...pending.slice(0, insertedCount).map(({ index }) => index));
      pending = pending.slice(insertedCount);
    }
  }
  if (pending.length > 0)
    throw new Error(`documents could not be inserted: concurrent writes kept conflicting`);
  return inserted.sort((a, b) => a - b);
}
