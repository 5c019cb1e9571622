/**
 * Coalesces updates per key under bursts: the first update of a quiet key goes out at once, later
 * ones at most every `intervalMs`, and the last one always goes out. A final update (a finished run)
 * goes out at once and drops what was pending, so a client never sees progress after the end.
 */
export class UpdateCoalescer<T> {
  private readonly pending = new Map<string, { value?: T; timer: NodeJS.Timeout }>();

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: string, value: T) => void,
  ) {}

  update(key: string, value: T): void {
    const slot = this.pending.get(key);
    if (slot) {
      slot.value = value;
      return;
    }
    this.send(key, value);
    this.pending.set(key, { timer: this.arm(key) });
  }

  final(key: string, value: T): void {
    const slot = this.pending.get(key);
    if (slot) clearTimeout(slot.timer);
    this.pending.delete(key);
    this.send(key, value);
  }

  close(): void {
    for (const slot of this.pending.values()) clearTimeout(slot.timer);
    this.pending.clear();
  }

  private arm(key: string): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const slot = this.pending.get(key);
      if (!slot) return;
      if (slot.value === undefined) {
        this.pending.delete(key);
        return;
      }
      const value = slot.value;
      slot.value = undefined;
      slot.timer = this.arm(key);
      this.send(key, value);
    }, this.intervalMs);
    timer.unref();
    return timer;
  }
}
