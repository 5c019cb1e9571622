import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { canonicalJson } from '@testpulse/cache';
import { USAGE_EVENTS, USAGE_LIMITS, UsageKind, UsageRecordDto } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';

const FLUSH_MS = 5000;
/** Distinct things held before a flush is forced (a bound on memory under load). */
const MAX_PENDING = 5000;

/**
 * Counts what each user opens (analyses, reports) and sends the counts to user-preferences in
 * batches every few seconds, not one message per request.
 */
@Injectable()
export class UsageRecorder implements OnApplicationShutdown {
  private pending = new Map<string, UsageRecordDto>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly services: ServiceClient) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  record(user: string, kind: UsageKind, projects: readonly string[], params: Record<string, unknown>): void {
    const key = `${user}\n${kind}\n${canonicalJson(params)}`;
    const seen = this.pending.get(key);
    if (seen) {
      seen.count += 1;
      seen.at = Date.now();
      return;
    }
    this.pending.set(key, { user, kind, projects: [...projects], params, count: 1, at: Date.now() });
    if (this.pending.size >= MAX_PENDING) void this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const records = [...this.pending.values()];
    this.pending = new Map();
    for (let i = 0; i < records.length; i += USAGE_LIMITS.recordsPerEvent) {
      await this.services.emit(USAGE_EVENTS.recorded, {
        records: records.slice(i, i + USAGE_LIMITS.recordsPerEvent),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
