import { Inject, Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { AnalyticsEngineEnv } from '../env';
import { HistoryClient } from './history.client';

/** Quiet time when no env says (tests). */
const DEFAULT_QUIET_MS = 2000;

/**
 * Builds a project's windows ahead (HistoryClient.prebuild) once its runs go quiet:
 * WINDOW_PREBUILD_QUIET_MS after the last finished run a burst of runs announced, one project at a
 * time. A window is built from every execution it holds (about a second of CPU for a month of a
 * million results), which the first analysis after the runs would otherwise wait for.
 */
@Injectable()
export class WindowPrebuilder implements OnApplicationShutdown {
  private readonly logger = new Logger(WindowPrebuilder.name);
  private readonly quietMs: number;
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly history: HistoryClient,
    @Optional() @Inject(AnalyticsEngineEnv) env?: AnalyticsEngineEnv,
  ) {
    this.quietMs = env?.WINDOW_PREBUILD_QUIET_MS ?? DEFAULT_QUIET_MS;
  }

  /** A run of `project` was kept: its windows are built once no other run came for a while. */
  runKept(project: string): void {
    if (this.closed || this.quietMs === 0) return;
    clearTimeout(this.waiting.get(project));
    const timer = setTimeout(() => {
      this.waiting.delete(project);
      this.queue = this.queue.then(() => this.prebuild(project));
    }, this.quietMs);
    timer.unref();
    this.waiting.set(project, timer);
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const timer of this.waiting.values()) clearTimeout(timer);
    this.waiting.clear();
  }

  private async prebuild(project: string): Promise<void> {
    if (this.closed) return;
    const started = performance.now();
    try {
      const built = await this.history.prebuild(project);
      if (built > 0)
        this.logger.log(
          { project, windows: built, ms: Math.round(performance.now() - started) },
          'windows built ahead after new runs',
        );
    } catch (error) {
      // The analyses build what they need themselves.
      this.logger.warn({ project, err: (error as Error).message }, 'windows could not be built ahead');
    }
  }
}
