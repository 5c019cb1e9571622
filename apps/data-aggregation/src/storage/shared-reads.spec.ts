import { SharedReads } from './shared-reads';

describe('SharedReads', () => {
  it('shares a read in flight and reads again once it settled', async () => {
    const reads = new SharedReads<number>();
    let calls = 0;
    const read = () => new Promise<number>((done) => setTimeout(() => done(++calls), 5));
    const [a, b] = await Promise.all([reads.read('k', read), reads.read('k', read)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    expect(await reads.read('k', read)).toBe(2);
    expect(await reads.read('other', read)).toBe(3);
  });

  it('does not keep a failure', async () => {
    const reads = new SharedReads<number>();
    await expect(reads.read('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await reads.read('k', () => Promise.resolve(7))).toBe(7);
  });
});
