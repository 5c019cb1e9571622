/**
 * Reads in flight, by key: a read asked for again before it settles is shared, not repeated (an
 * analysis asks for a window's buckets and its states at once, and both need the same lookups).
 * Nothing is kept once a read settles, so no read ever returns older data than it would alone.
 */
export class SharedReads<T> {
  private readonly pending = new Map<string, Promise<T>>();

  read(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.pending.get(key);
    if (!pending) {
      pending = read().finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }
}
