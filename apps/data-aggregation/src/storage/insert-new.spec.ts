import { Model, mongo } from 'mongoose';
import { insertNew } from './insert-new';

type Doc = { _id: string };

/** A collection double that refuses `_id`s it already holds, as an unordered insertMany does. */
function fakeModel(stored: string[], failWith?: Error): { model: Model<Doc>; ids: Set<string> } {
  const ids = new Set(stored);
  const insertMany = async (docs: Doc[], { ordered }: { ordered: boolean }) => {
    expect(ordered).toBe(false);
    if (failWith) throw failWith;
    const writeErrors: Array<{ index: number; code: number }> = [];
    for (const [index, doc] of docs.entries()) {
      if (ids.has(doc._id)) {
        writeErrors.push({ index, code: 11000 });
      } else ids.add(doc._id);
    }
    if (writeErrors.length > 0) {
      const error = Object.create(mongo.MongoBulkWriteError.prototype) as mongo.MongoBulkWriteError;
      Object.defineProperty(error, 'writeErrors', { value: writeErrors });
      throw error;
    }
  };
  return { model: { collection: { insertMany } } as unknown as Model<Doc>, ids };
}

const docs = (...ids: string[]): Doc[] => ids.map((_id) => ({ _id }));

describe('insertNew', () => {
  it('inserts a new batch whole', async () => {
    const { model, ids } = fakeModel([]);
    expect(await insertNew(model, docs('a', 'b', 'c'))).toEqual([0, 1, 2]);
    expect([...ids]).toEqual(['a', 'b', 'c']);
  });

  it('returns only the positions it inserted when some are stored already', async () => {
    const { model, ids } = fakeModel(['b', 'd']);
    expect(await insertNew(model, docs('a', 'b', 'c', 'd', 'e'))).toEqual([0, 2, 4]);
    expect([...ids].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('inserts nothing for a batch stored before', async () => {
    const { model } = fakeModel(['a', 'b']);
    expect(await insertNew(model, docs('a', 'b'))).toEqual([]);
    expect(await insertNew(model, [])).toEqual([]);
  });

  it('passes on errors other than duplicate keys', async () => {
    const { model } = fakeModel([], new Error('connection reset'));
    await expect(insertNew(model, docs('a'))).rejects.toThrow('connection reset');
  });
});
