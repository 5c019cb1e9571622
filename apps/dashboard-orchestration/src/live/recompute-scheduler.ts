/**
 * A run's right to publish what it computed: granted unless a run of the same key that started
 * later has published already (then this run's result is older than what is out).
 */
export interface RecomputeTicket {
  claim(): boolean;
}

interface Slot<T> {
  next?: T;
  running: number;
  timer?: NodeJS.Timeout;
  lastStart: number;
  started: number;
  claimed: number;
}

/**
 * Runs an async recomputation per key under bursts of triggers: starts at most every `intervalMs`,
 * with at most `overlap` runs of a key at once, and a trigger that arrives meanwhile causes one more
 * run (triggers that arrive while it waits are merged into it, the last value wins). So the last
 * trigger is always followed by a run that sees its effect.
 *
 * A trigger does not wait for the run in progress to end: that run started before the trigger's
 * change and is already out of date, and the next one shares what did not change (the analyses it
 * reads are cached per project). Results are published newest start first: a run that ends after a
 * later-started one has published drops its result (`RecomputeTicket.claim()` says so).
 */
export class RecomputeScheduler<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private closed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: (key: string, value: T, ticket: RecomputeTicket) => Promise<void>,
    private readonly now: () => number = Date.now,
    private readonly overlap = 2,
  ) {}

  trigger(key: string, value: T): void {
    if (this.closed) return;
    let slot = this.slots.get(key);
    if (!slot) this.slots.set(key, (slot = { running: 0, lastStart: -Infinity, started: 0, claimed: 0 }));
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
    if (!slot || slot.timer) return;
    if (slot.next === undefined) {
      if (slot.running === 0) this.slots.delete(key);
      return;
    }
    if (slot.running >= this.overlap) return; // the next run starts when one ends
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
    slot.running += 1;
    slot.lastStart = this.now();
    const order = (slot.started += 1);
    const ticket: RecomputeTicket = {
      claim: () => {
        if (slot.claimed > order) return false;
        slot.claimed = order;
        return true;
      },
    };
    void this.run(key, value, ticket)
      .catch(() => undefined)
      .finally(() => {
        slot.running -= 1;
        if (!this.closed) this.schedule(key);
      });
  }
}
