import { DataVersions, MemoryCacheBackend } from '@testpulse/cache';
import { isDeepStrictEqual } from 'node:util';
import { Model } from 'mongoose';
import { RUN_HEAD_KEPT, RunHeadsRepository, newestFirst } from './run-heads.repository';
import { RunsRepository } from './runs.repository';
import { RunHead, RunHeadEntry, RunHeadMark } from './schemas/run-head.schema';
import { Run } from './schemas/run.schema';

type Doc = { _id: string } & Record<string, unknown>;
type Update = {
  $addToSet?: Record<string, unknown>;
  $inc?: Record<string, number>;
  $set?: Record<string, unknown>;
  $setOnInsert?: Record<string, unknown>;
};

/** `$addToSet` (one value or `$each`), `$inc`, `$set` and `$setOnInsert` on a stored or new document. */
function apply(doc: Doc | undefined, filter: { _id: string }, update: Update): Doc {
  const next: Doc = doc ? structuredClone(doc) : { _id: filter._id, ...structuredClone(update.$setOnInsert) };
  for (const [field, value] of Object.entries(update.$addToSet ?? {})) {
    const list = ((next[field] as unknown[]) ??= []);
    const values = (value as { $each?: unknown[] }).$each ?? [value];
    for (const v of values) if (!list.some((x) => isDeepStrictEqual(x, v))) list.push(structuredClone(v));
  }
  for (const [field, by] of Object.entries(update.$inc ?? {}))
    next[field] = ((next[field] as number) ?? 0) + by;
  Object.assign(next, structuredClone(update.$set ?? {}));
  return next;
}

/** Every `_id` looked up, in order. */
const reads: string[] = [];
/** Those of runs and heads (not the mark's). */
const lookups = () => reads.filter((id) => id !== 'complete');

/**
 * A collection double: findById, findOneAndUpdate (upsert, the document before), updateOne (with
 * upsert, or `$setOnInsert` alone, as an insert-if-absent), find.
 */
function fakeModel(store: Map<string, Doc>) {
  const matches = (doc: Doc | undefined, filter: Record<string, unknown>) =>
    doc !== undefined && Object.entries(filter).every(([k, v]) => isDeepStrictEqual(doc[k], v));
  return {
    findById: (id: string) => ({
      lean: () => ({
        exec: async () => {
          reads.push(id);
          return structuredClone(store.get(id) ?? null);
        },
      }),
    }),
    collection: {
      findOneAndUpdate: async (filter: { _id: string }, update: Update, options: { upsert?: boolean }) => {
        const before = store.get(filter._id);
        if (before || options.upsert) store.set(filter._id, apply(before, filter, update));
        return structuredClone(before ?? null);
      },
      updateOne: async (filter: { _id: string } & Record<string, unknown>, update: Update, options = {}) => {
        const doc = store.get(filter._id);
        if (matches(doc, filter) || (!doc && (options as { upsert?: boolean }).upsert))
          store.set(filter._id, apply(doc, filter, update));
      },
      insertMany: async (docs: Doc[]) => {
        for (const doc of docs) if (!store.has(doc._id)) store.set(doc._id, structuredClone(doc));
      },
      find: () =>
        (async function* () {
          for (const doc of store.values()) yield structuredClone(doc);
        })(),
    },
  } as unknown as Model<never>;
}

const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 10, minute));
const run = (runId: string, minute: number, branch?: string) => ({
  project: 'shop',
  runId,
  ...(branch ? { branch } : {}),
  startedAt: at(minute),
});

describe('newestFirst', () => {
  it('orders by start time, newest first, then by runId, each run once', () => {
    const entries: RunHeadEntry[] = [
      { runId: 'b', startedAt: at(1) },
      { runId: 'c', startedAt: at(3) },
      { runId: 'a', startedAt: at(1) },
      { runId: 'c', startedAt: at(3) },
      { runId: 'd', startedAt: at(2) },
    ];
    expect(newestFirst(entries, 10).map((e) => e.runId)).toEqual(['c', 'd', 'a', 'b']);
    expect(newestFirst(entries, 2).map((e) => e.runId)).toEqual(['c', 'd']);
  });
});

describe('RunHeadsRepository', () => {
  let heads: Map<string, Doc>;
  let marks: Map<string, Doc>;
  let runs: Map<string, Doc>;
  let versions: DataVersions;
  const repository = () =>
    new RunHeadsRepository(
      fakeModel(heads) as unknown as Model<RunHead>,
      fakeModel(marks) as unknown as Model<RunHeadMark>,
      fakeModel(runs) as unknown as Model<Run>,
      versions,
    );

  beforeEach(() => {
    heads = new Map();
    marks = new Map([['complete', { _id: 'complete', completedAt: new Date() }]]);
    runs = new Map();
    versions = new DataVersions(new MemoryCacheBackend());
  });

  it("lists each run in its project's head and its branch's, once, newest first", async () => {
    const repo = repository();
    expect(await repo.add(run('r2', 2, 'main'))).toBe(true);
    expect(await repo.add(run('r1', 1, 'main'))).toBe(true);
    expect(await repo.add(run('r3', 3, 'feature|x'))).toBe(true);
    expect(await repo.add(run('r4', 3))).toBe(true);
    // The same run again (sent twice, or again after a crash) changes nothing.
    expect(await repo.add(run('r2', 2, 'main'))).toBe(false);
    expect(await repo.newest('shop')).toEqual(['shop|r3', 'shop|r4', 'shop|r2', 'shop|r1']);
    expect(await repo.newest('shop', 'main')).toEqual(['shop|r2', 'shop|r1']);
    expect(await repo.newest('shop', 'feature|x')).toEqual(['shop|r3']);
    expect(await repo.newest('shop', 'other')).toEqual([]);
    expect(await repo.newest('bank')).toEqual([]);
    expect(heads.get('shop')).toEqual(expect.objectContaining({ project: 'shop', rev: 5 }));
    expect(heads.get('shop|feature|x')).toEqual(
      expect.objectContaining({ project: 'shop', branch: 'feature|x' }),
    );
  });

  it("reads a head once per version of its project's heads, which a run listed moves", async () => {
    const repo = repository();
    await repo.add(run('r1', 1, 'main'));
    reads.length = 0;
    expect(await repo.newest('shop')).toEqual(['shop|r1']);
    expect(await repo.newest('shop')).toEqual(['shop|r1']);
    expect(await repo.newest('shop', 'main')).toEqual(['shop|r1']);
    expect(lookups()).toEqual(['shop', 'shop|main']);
    // Listing a run already listed moves nothing; a new one is seen at once, by every process.
    await repo.add(run('r1', 1, 'main'));
    expect(await repo.newest('shop')).toEqual(['shop|r1']);
    expect(lookups()).toHaveLength(2);
    await repository().add(run('r2', 2));
    expect(await repo.newest('shop')).toEqual(['shop|r2', 'shop|r1']);
    expect(lookups()).toHaveLength(3);
  });

  it('cuts a head back to the newest it keeps once it holds twice as many', async () => {
    const repo = repository();
    // Oldest last: every run added is older than those before it, but one.
    for (let i = 0; i < 2 * RUN_HEAD_KEPT - 1; i++) await repo.add(run(`r${i}`, 10_000 - i));
    expect((heads.get('shop')?.runs as unknown[]).length).toBe(2 * RUN_HEAD_KEPT - 1);
    await repo.add(run('newest', 20_000));
    const kept = heads.get('shop')?.runs as RunHeadEntry[];
    expect(kept).toHaveLength(RUN_HEAD_KEPT);
    expect(await repo.newest('shop')).toEqual([
      'shop|newest',
      ...Array.from({ length: RUN_HEAD_KEPT - 1 }, (_, i) => `shop|r${i}`),
    ]);
  });

  it('does not cut a head that another run was added to meanwhile', async () => {
    const repo = repository();
    for (let i = 0; i < 2 * RUN_HEAD_KEPT - 1; i++) await repo.add(run(`r${i}`, i));
    await Promise.all([repo.add(run('x', 50_000)), repo.add(run('y', 50_001))]);
    // One of the two cut the list it saw; the other's addition is still there.
    const listed = await repo.newest('shop');
    expect(listed?.slice(0, 2)).toEqual(['shop|y', 'shop|x']);
    expect((heads.get('shop')?.runs as unknown[]).length).toBeLessThanOrEqual(RUN_HEAD_KEPT + 1);
  });

  it('reads nothing from heads until the backfill marked them complete, then lists every stored run', async () => {
    marks.clear();
    runs.set('shop|old', { _id: 'shop|old', ...run('old', 1, 'main') });
    runs.set('shop|older', { _id: 'shop|older', ...run('older', 0) });
    runs.set('bank|b1', { _id: 'bank|b1', project: 'bank', runId: 'b1', startedAt: at(5) });
    const repo = repository();
    await repo.add(run('new', 9, 'main'));
    expect(await repo.newest('shop')).toBeUndefined();
    expect(await repo.backfill()).toBe(3);
    expect(await repo.newest('shop')).toEqual(['shop|new', 'shop|old', 'shop|older']);
    expect(await repo.newest('shop', 'main')).toEqual(['shop|new', 'shop|old']);
    expect(await repo.newest('bank')).toEqual(['bank|b1']);
    // Marked: a new process reads the heads at once, and does not scan again.
    expect(await repository().newest('bank')).toEqual(['bank|b1']);
    expect(await repository().backfill()).toBe(0);
  });
});

describe('RunsRepository.latest', () => {
  let stored: Map<string, Doc>;
  let heads: RunHeadsRepository;
  let versions: DataVersions;
  const runDoc = (runId: string, minute: number, complete: boolean) => ({
    _id: `shop|${runId}`,
    project: 'shop',
    runId,
    startedAt: at(minute),
    status: complete ? 'finished' : 'running',
    complete,
  });

  beforeEach(() => {
    stored = new Map();
    versions = new DataVersions(new MemoryCacheBackend());
    const marks = new Map([['complete', { _id: 'complete', completedAt: new Date() }]]);
    heads = new RunHeadsRepository(
      fakeModel(new Map()) as unknown as Model<RunHead>,
      fakeModel(marks) as unknown as Model<RunHeadMark>,
      fakeModel(stored) as unknown as Model<Run>,
      versions,
    );
  });

  it('reads again only the runs still going and those new to the list', async () => {
    const repo = new RunsRepository(fakeModel(stored) as unknown as Model<Run>, versions, heads);
    for (const [runId, minute, complete] of [
      ['r1', 1, true],
      ['r2', 2, true],
      ['r3', 3, false],
    ] as const) {
      stored.set(`shop|${runId}`, runDoc(runId, minute, complete));
      await heads.add({ project: 'shop', runId, startedAt: at(minute) });
    }
    const ids = async () => (await repo.latest('shop', 10)).map((r) => [r.runId, r.status]);
    reads.length = 0;
    expect(await ids()).toEqual([
      ['r3', 'running'],
      ['r2', 'finished'],
      ['r1', 'finished'],
    ]);
    expect(lookups()).toEqual(['shop', 'shop|r3', 'shop|r2', 'shop|r1']);
    // r3 ends (its version moves): only r3 is read again.
    stored.set('shop|r3', runDoc('r3', 3, true));
    await versions.bump('runs:shop');
    reads.length = 0;
    expect((await ids())[0]).toEqual(['r3', 'finished']);
    expect(lookups()).toEqual(['shop|r3']);
    // A new run: the head and the new run.
    stored.set('shop|r4', runDoc('r4', 4, false));
    await heads.add({ project: 'shop', runId: 'r4', startedAt: at(4) });
    await versions.bump('runs:shop');
    reads.length = 0;
    expect((await ids()).map(([runId]) => runId)).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(lookups()).toEqual(['shop', 'shop|r4']);
    expect((await repo.latest('shop', 2)).map((r) => r.runId)).toEqual(['r4', 'r3']);
  });
});
