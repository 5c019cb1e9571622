import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CacheManagementEnv } from '../env';
import { WarmingService } from './warming.service';

interface Burst {
  firstAt: number;
  timer: NodeJS.Timeout;
}

/**
 * Re-warms a project's hot entries after its runs finish, debounced: a burst of runs triggers one
 * warming, REWARM_QUIET_MS after the last run of the burst and at most REWARM_MAX_WAIT_MS after its
 * first. One warming runs at a time; a project asked again meanwhile waits for its turn.
 */
@Injectable()
export class RewarmScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger(RewarmScheduler.name);
  private readonly bursts = new Map<string, Burst>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly warming: WarmingService,
    @Inject(CacheManagementEnv) private readonly env: CacheManagementEnv,
  ) {}

  runFinished(project: string, now = Date.now()): void {
    if (this.env.REWARM_LIMIT === 0) return;
    const burst = this.bursts.get(project);
    const firstAt = burst?.firstAt ?? now;
    if (burst) clearTimeout(burst.timer);
    const delay = Math.max(
      0,
      Math.min(this.env.REWARM_QUIET_MS, firstAt + this.env.REWARM_MAX_WAIT_MS - now),
    );
    const timer = setTimeout(() => {
      this.bursts.delete(project);
      this.queue = this.queue.then(() => this.rewarm(project));
    }, delay);
    timer.unref();
    this.bursts.set(project, { firstAt, timer });
  }

  /** Projects waiting for their burst to end. */
  get waiting(): string[] {
    return [...this.bursts.keys()];
  }

  onApplicationShutdown(): void {
    for (const burst of this.bursts.values()) clearTimeout(burst.timer);
    this.bursts.clear();
  }

  private async rewarm(project: string): Promise<void> {
    try {
      const { warmed, ms } = await this.warming.warm({ project, limit: this.env.REWARM_LIMIT });
      const count = (outcome: string) => warmed.filter((entry) => entry.outcome === outcome).length;
      this.logger.log(
        { project, entries: warmed.length, computed: count('computed'), failed: count('failed'), ms },
        'hot entries re-warmed after new runs',
      );
    } catch (error) {
      this.logger.warn({ project, err: (error as Error).message }, 're-warming failed');
    }
  }
}
