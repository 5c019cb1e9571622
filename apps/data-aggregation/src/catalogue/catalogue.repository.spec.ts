import { Model, mongo } from 'mongoose';
import { Leases } from '../storage/leases';
import { CatalogueRepository, MERGE_AFTER_PAGES, NewTest } from './catalogue.repository';
import { CatalogueIndex, CataloguePage } from './schemas/catalogue-page.schema';

type Doc = { _id: string } & Record<string, unknown>;

/** Every `_id` looked up, in order. */
const reads: string[] = [];

/**
 * A collection double with what the repository uses: findById, unordered insertMany refusing stored
 * `_id`s, insertOne, and updateOne by `_id` with `$addToSet` and `$set`.
 */
function fakeModel(store: Map<string, Doc>, legacy: Doc[] = []) {
  const insert = (doc: Doc) => {
    if (store.has(doc._id)) return false;
    store.set(doc._id, structuredClone(doc));
    return true;
  };
  const collection = {
    insertMany: async (docs: Doc[]) => {
      const writeErrors = docs.flatMap((doc, index) => (insert(doc) ? [] : [{ index, code: 11000 }]));
      if (writeErrors.length > 0) {
        const error = Object.create(mongo.MongoBulkWriteError.prototype) as mongo.MongoBulkWriteError;
        Object.defineProperty(error, 'writeErrors', { value: writeErrors });
        throw error;
      }
    },
    insertOne: async (doc: Doc) => {
      if (!insert(doc)) throw new Error(`duplicate ${doc._id}`);
    },
    updateOne: async (
      filter: { _id: string },
      update: { $addToSet?: Record<string, string>; $set?: Record<string, unknown> },
    ) => {
      const doc = store.get(filter._id);
      if (!doc) return;
      for (const [field, value] of Object.entries(update.$addToSet ?? {})) {
        const list = doc[field] as string[];
        if (!list.includes(value)) list.push(value);
      }
      Object.assign(doc, structuredClone(update.$set ?? {}));
    },
  };
  return {
    findById: (id: string) => ({
      lean: () => ({
        exec: async () => {
          reads.push(id);
          return structuredClone(store.get(id) ?? null);
        },
      }),
    }),
    collection,
    db: { collection: () => ({ find: () => ({ sort: () => ({ toArray: async () => legacy }) }) }) },
  } as unknown as Model<never>;
}

const test = (n: number, day = 1): NewTest => ({
  testId: n.toString(16).padStart(24, '0'),
  suite: `suite ${n % 3}`,
  name: `test ${n}`,
  ...(n % 2 === 0 ? { file: `t${n}.spec.ts` } : {}),
  firstSeen: new Date(`2026-11-0${day}T10:00:00Z`),
  firstRunId: `run-${day}`,
});

describe('CatalogueRepository', () => {
  let pages: Map<string, Doc>;
  let indexes: Map<string, Doc>;
  /** One holder at a time, like the Redis lease the replicas share. */
  let held: Promise<unknown> = Promise.resolve();
  const leases = {
    withCatalogue: <T>(_project: string, work: () => Promise<T>): Promise<T> => {
      const run = held.then(work, work);
      held = run.catch(() => undefined);
      return run;
    },
  } as unknown as Leases;
  const repository = (legacy: Doc[] = []) =>
    new CatalogueRepository(
      fakeModel(pages, legacy) as unknown as Model<CataloguePage>,
      fakeModel(indexes) as unknown as Model<CatalogueIndex>,
      leases,
    );
  const withoutOrdinals = (tests: Array<NewTest & { ordinal?: number }>) =>
    tests.map(({ ordinal: _ordinal, ...test }) => test);

  beforeEach(() => {
    pages = new Map();
    indexes = new Map();
  });

  it('pages only the tests it does not know, and lists every test of the project', async () => {
    const repo = repository();
    expect(await repo.addNew('shop', 'r1|b0', [test(1), test(2), test(2)])).toBe(2);
    expect(await repo.addNew('shop', 'r1|b1', [test(2), test(3, 2)])).toBe(1);
    expect(await repo.addNew('shop', 'r2|b0', [test(1), test(3)])).toBe(0);
    expect(pages.size).toBe(2);
    expect(indexes.get('shop')?.pages).toEqual(['shop|r1|b0', 'shop|r1|b1']);
    const listed = await repository().ofProject('shop');
    expect(listed.map((t) => [t.name, t.ordinal])).toEqual([
      ['test 1', 0],
      ['test 2', 1],
      ['test 3', 2],
    ]);
    expect(withoutOrdinals(listed)).toEqual([test(1), test(2), test(3, 2)]);
    expect(indexes.get('shop')?.next).toBe(3);
    expect(await repository().ofProject('other')).toEqual([]);
  });

  it('reads a page once (pages never change) and the index every time', async () => {
    await repository().addNew('shop', 'r1|b0', [test(1)]);
    const reader = repository();
    reads.length = 0;
    await reader.ofProject('shop');
    await reader.addNew('shop', 'r2|b0', [test(2)]);
    expect(await reader.ofProject('shop')).toHaveLength(2);
    expect(reads.filter((id) => id === 'shop|r1|b0')).toHaveLength(1);
    expect(reads.filter((id) => id === 'shop')).toHaveLength(5);
  });

  it('numbers each test once when two replicas page the same new tests at once', async () => {
    const [a, b] = [repository(), repository()];
    const added = await Promise.all([
      a.addNew('shop', 'r1|b0', [test(1), test(2)]),
      b.addNew('shop', 'r2|b0', [test(2), test(3)]),
    ]);
    expect(added.reduce((x, y) => x + y, 0)).toBe(3);
    const listed = await repository().ofProject('shop');
    expect(listed.map((t) => t.ordinal).sort()).toEqual([0, 1, 2]);
    const ordinals = await a.ordinalsOf('shop', [test(3).testId, test(2).testId, 'unknown']);
    const byId = new Map(listed.map((t) => [t.testId, t.ordinal]));
    expect([...ordinals]).toEqual([
      [test(3).testId, byId.get(test(3).testId)],
      [test(2).testId, byId.get(test(2).testId)],
    ]);
  });

  it('learns what is stored from the pages after a restart, and pages a retried batch anew', async () => {
    await repository().addNew('shop', 'r1|b0', [test(1, 3)]);
    const restarted = repository();
    expect(await restarted.addNew('shop', 'r2|b0', [test(1, 4), test(2, 4)])).toBe(1);
    // A page key stored already (a retry) gets a fresh page id: the stored page is not overwritten.
    expect(await repository().addNew('shop', 'r1|b0', [test(1, 1), test(5, 1)])).toBe(1);
    expect(indexes.get('shop')?.pages).toHaveLength(3);
    const listed = new Map((await repository().ofProject('shop')).map((t) => [t.name, t]));
    expect(listed.get('test 1')).toEqual(expect.objectContaining({ firstRunId: 'run-3', ordinal: 0 }));
    expect(listed.get('test 5')).toEqual(expect.objectContaining({ firstRunId: 'run-1', ordinal: 2 }));
  });

  it(`merges the pages into one after ${MERGE_AFTER_PAGES} and still lists every test`, async () => {
    const writers = Array.from({ length: MERGE_AFTER_PAGES + 2 }, () => repository());
    for (const [n, writer] of writers.entries()) await writer.addNew('shop', `r${n}|b0`, [test(n + 1)]);
    // The last writer found more pages than the limit when it loaded the project, and merged them.
    const index = indexes.get('shop');
    expect(index?.merged).toBeDefined();
    expect(index?.covers).toHaveLength(MERGE_AFTER_PAGES + 1);
    expect(index?.pages).toHaveLength(MERGE_AFTER_PAGES + 2);
    expect(await repository().ofProject('shop')).toHaveLength(MERGE_AFTER_PAGES + 2);
    await repository().addNew('shop', 'late|b0', [test(100)]);
    const reader = repository();
    expect(await reader.ofProject('shop')).toHaveLength(MERGE_AFTER_PAGES + 3);
    expect(indexes.get('shop')?.merged).toBe(index?.merged);
  });

  it('moves a project stored one document per test into a page once', async () => {
    const legacy = [test(1), test(2)].map(({ testId, ...entry }) => ({
      _id: testId,
      project: 'shop',
      ...entry,
    }));
    const repo = repository(legacy);
    expect((await repo.ofProject('shop')).map((t) => t.ordinal)).toEqual([0, 1]);
    expect(indexes.get('shop')?.pages).toEqual(['shop|test_catalogue']);
    expect(await repository(legacy).addNew('shop', 'r9|b0', [test(1), test(3)])).toBe(1);
    expect(indexes.get('shop')?.pages).toHaveLength(2);
    expect((await repository().ordinalsOf('shop', [test(3).testId])).get(test(3).testId)).toBe(2);
  });
});
