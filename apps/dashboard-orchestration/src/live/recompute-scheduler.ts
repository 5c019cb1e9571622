/**
 * Runs an async recomputation per key under bursts of triggers: at most one at a time per key,
 * starts at most every `intervalMs`, and a trigger that arrives while one runs (or waits) causes one
 * more run after it. So the last trigger is always followed by a run that sees its effect.
 */
export class RecomputeScheduler<T> {
  private readonly slots = new Map<
    string,
    { next?: T; running: boolean; timer?: NodeJS.Timeout; lastStart: number }
  >();
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: (key: string, value: T) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  trigger(key: string, value: T): void {
    if (this.closed) return;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { running: false, lastStart: -Infinity }));
    slot.next = value;
    this.schedule(key);
  }

  /** Keys with a run going or pending. */
  get busy(): number {
    return this.slots.size;
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private schedule(key: string): void {
    const slot = this.slots.get(key);
    if (!slot || slot.running || slot.timer || slot.next === undefined) {
      if (slot && !slot.running && !slot.timer && slot.next === undefined) this.slots.delete(key);
      return;
    }
    const wait = slot.lastStart + this.intervalMs - this.now();
    if (wait > 0) {
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        this.schedule(key);
      }, wait);
      slot.timer.unref();
      return;
    }
    const value = slot.next;
    slot.next = undefined;
    slot.running = true;
    slot.lastStart = this.now();
    void this.run(key, value)
      .catch(() => undefined)
      .finally(() => {
        slot.running = false;
        if (!this.closed) this.schedule(key);
      });
  }
}
