import { hashSeed, mulberry32, Rng } from './random';

describe('seeded random numbers', () => {
  it('repeats the same sequence for the same seed and differs for another', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    for (const x of seqA) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
    // Known values: the generator must not change silently (it would change every demo history).
    expect(mulberry32(1)().toFixed(8)).toBe('0.62707394');
    expect(hashSeed('a', 1)).toBe(hashSeed('a', 1));
    expect(hashSeed('a', 1)).not.toBe(hashSeed('a', 2));
  });

  it('draws from the usual distributions', () => {
    const rng = new Rng(123);
    const ints = Array.from({ length: 2000 }, () => rng.int(1, 6));
    expect(Math.min(...ints)).toBe(1);
    expect(Math.max(...ints)).toBe(6);
    const logs = Array.from({ length: 4001 }, () => rng.logNormal(100, 0.5)).sort((x, y) => x - y);
    expect(logs[2000]).toBeGreaterThan(90);
    expect(logs[2000]).toBeLessThan(110);
    expect(rng.hex(40)).toMatch(/^[0-9a-f]{40}$/);
    expect(rng.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(rng.sample([1, 2, 3, 4, 5], 3)).size).toBe(3);
    const weighted = Array.from({ length: 1000 }, () =>
      rng.weighted([
        ['a', 9],
        ['b', 1],
      ] as const),
    );
    expect(weighted.filter((w) => w === 'a').length).toBeGreaterThan(850);
    // Forks are independent of how much the parent has drawn.
    expect(new Rng(5).fork('x').next()).toBe(new Rng(5).fork('x').next());
    expect(new Rng(5).fork('x').next()).not.toBe(new Rng(5).fork('y').next());
  });
});
