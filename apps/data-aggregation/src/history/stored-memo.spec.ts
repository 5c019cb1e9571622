import { dayDataVersion } from '@testpulse/contracts';
import { DataVersions, MemoryCacheBackend } from '@testpulse/cache';
import { DataAggregationEnv } from '../env';
import { StoredMemo } from './stored-memo';

function memoOf(backend = new MemoryCacheBackend()) {
  const versions = new DataVersions(backend);
  const env = Object.assign(new DataAggregationEnv(), { HISTORY_MEMO_MB: 1 });
  return { memo: new StoredMemo(versions, env), versions, backend };
}

/** A store of per-day values that counts which days were read. */
function store(values: Record<string, string>) {
  const reads: string[][] = [];
  return {
    reads,
    values,
    read: async (days: string[]) => {
      reads.push(days);
      return new Map(days.filter((d) => d in values).map((d) => [d, values[d]]));
    },
  };
}

describe('StoredMemo', () => {
  const days = ['2026-11-01', '2026-11-02', '2026-11-03'];

  it('reads again only the days whose version moved', async () => {
    const { memo, versions } = memoOf();
    const db = store({ '2026-11-01': 'a', '2026-11-03': 'c' });
    const first = await memo.perDay('k', 'web', days, db.read, () => 10);
    expect([...first]).toEqual([
      ['2026-11-01', 'a'],
      ['2026-11-02', undefined],
      ['2026-11-03', 'c'],
    ]);
    expect(await memo.perDay('k', 'web', days, db.read, () => 10)).toEqual(first);
    expect(db.reads).toEqual([days]);

    db.values['2026-11-03'] = 'c2';
    await versions.bump(dayDataVersion('web', '2026-11-03'));
    const after = await memo.perDay('k', 'web', days, db.read, () => 10);
    expect(after.get('2026-11-03')).toBe('c2');
    expect(db.reads).toEqual([days, ['2026-11-03']]);
    // Another project's days and another kind of data are kept apart.
    await memo.perDay('k', 'api', days, db.read, () => 10);
    await memo.perDay('other', 'web', days, db.read, () => 10);
    expect(db.reads.slice(2)).toEqual([days, days]);
  });

  it('keeps a copy read before a write under the old version only', async () => {
    const { memo, versions } = memoOf();
    const db = store({ '2026-11-01': 'old' });
    // The write lands while the read is under way (after its version was taken): the old value is
    // kept under the old version, and the bump that follows the write makes the next read fetch.
    const racing = async (wanted: string[]) => {
      const result = await db.read(wanted);
      db.values['2026-11-01'] = 'new';
      return result;
    };
    expect((await memo.perDay('k', 'web', ['2026-11-01'], racing, () => 1)).get('2026-11-01')).toBe('old');
    await versions.bump(dayDataVersion('web', '2026-11-01'));
    expect((await memo.perDay('k', 'web', ['2026-11-01'], db.read, () => 1)).get('2026-11-01')).toBe('new');
  });

  it('reads everything from the store when the versions cannot be read', async () => {
    const { memo, backend } = memoOf();
    const db = store({ '2026-11-01': 'a' });
    await memo.perDay('k', 'web', days, db.read, () => 1);
    backend.down = true;
    await memo.perDay('k', 'web', days, db.read, () => 1);
    expect(db.reads).toEqual([days, days]);
  });

  it('keeps immutable documents once complete, and not before', async () => {
    const { memo } = memoOf();
    const parts: Record<string, number[]> = { r1: [1, 2], r2: [1] };
    const reads: string[][] = [];
    const read = async (keys: string[]) => {
      reads.push(keys);
      return new Map(keys.filter((k) => k in parts).map((k) => [k, [...parts[k]]]));
    };
    const complete = (value: number[]) => value.length === 2;
    await memo.immutable('outcomes', ['r1', 'r2', 'r3'], read, complete, () => 8);
    const again = await memo.immutable('outcomes', ['r1', 'r2'], read, complete, () => 8);
    expect(again.get('r1')).toEqual([1, 2]);
    expect(reads).toEqual([['r1', 'r2', 'r3'], ['r2']]);
  });

  it('shares a read in flight with the requests that miss the same entries meanwhile', async () => {
    const { memo, versions } = memoOf();
    const db = store({ '2026-11-01': 'a', '2026-11-02': 'b', '2026-11-03': 'c' });
    const [one, two, three] = await Promise.all([
      memo.perDay('k', 'web', ['2026-11-01', '2026-11-02'], db.read, () => 1),
      memo.perDay('k', 'web', ['2026-11-01', '2026-11-02'], db.read, () => 1),
      memo.perDay('k', 'web', days, db.read, () => 1),
    ]);
    expect(db.reads).toEqual([['2026-11-01', '2026-11-02'], ['2026-11-03']]);
    expect([...one]).toEqual([...two]);
    expect([...three]).toEqual([
      ['2026-11-01', 'a'],
      ['2026-11-02', 'b'],
      ['2026-11-03', 'c'],
    ]);
    // A read under an older version is not shared with a request under the newer one.
    let release: () => void = () => undefined;
    const slow = async (wanted: string[]) => {
      const result = await db.read(wanted);
      await new Promise<void>((resolve) => (release = resolve));
      return result;
    };
    await versions.bump(dayDataVersion('web', '2026-11-01'));
    const before = memo.perDay('k', 'web', ['2026-11-01'], slow, () => 1);
    await new Promise((resolve) => setImmediate(resolve));
    db.values['2026-11-01'] = 'a2';
    await versions.bump(dayDataVersion('web', '2026-11-01'));
    const after = await memo.perDay('k', 'web', ['2026-11-01'], db.read, () => 1);
    release();
    expect((await before).get('2026-11-01')).toBe('a');
    expect(after.get('2026-11-01')).toBe('a2');

    // A failed read fails those waiting for it, and the next request reads again.
    const failing = async () => {
      throw new Error('store down');
    };
    await versions.bump(dayDataVersion('web', '2026-11-02'));
    const results = await Promise.allSettled([
      memo.perDay('k', 'web', ['2026-11-02'], failing, () => 1),
      memo.perDay('k', 'web', ['2026-11-02'], db.read, () => 1),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await memo.perDay('k', 'web', ['2026-11-02'], db.read, () => 1)).get('2026-11-02')).toBe('b');
  });

  it('shares reads in flight of immutable documents', async () => {
    const { memo } = memoOf();
    const reads: string[][] = [];
    const read = async (keys: string[]) => {
      reads.push(keys);
      return new Map(keys.map((k) => [k, [1, 2]]));
    };
    await Promise.all([
      memo.immutable(
        'outcomes',
        ['r1', 'r2'],
        read,
        () => true,
        () => 8,
      ),
      memo.immutable(
        'outcomes',
        ['r2', 'r3'],
        read,
        () => true,
        () => 8,
      ),
    ]);
    expect(reads).toEqual([['r1', 'r2'], ['r3']]);
  });

  it('forgets the least recently used copies beyond its memory', async () => {
    const { memo } = memoOf();
    const db = store({ '2026-11-01': 'a', '2026-11-02': 'b' });
    await memo.perDay('k', 'web', ['2026-11-01'], db.read, () => 700_000);
    await memo.perDay('k', 'web', ['2026-11-02'], db.read, () => 700_000);
    await memo.perDay('k', 'web', ['2026-11-01'], db.read, () => 700_000);
    expect(db.reads).toEqual([['2026-11-01'], ['2026-11-02'], ['2026-11-01']]);
  });
});
