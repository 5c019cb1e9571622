import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv } from '@testpulse/config';

export class AnalyticsEngineEnv extends ServiceEnv {
  override HEALTH_PORT = 3102;

  /**
   * Deadline of each history read from data-aggregation. An analysis reads weeks of history, and
   * the gateway waits ANALYTICS_TIMEOUT_MS (30 s) for it: a shorter deadline here failed analyses
   * that were merely slow under load.
   */
  @IsInt({ message: 'HISTORY_TIMEOUT_MS must be an integer' })
  @Min(100, { message: 'HISTORY_TIMEOUT_MS must be at least 100' })
  HISTORY_TIMEOUT_MS: number = 30_000;

  /**
   * Memory for decoded runs (states and outcomes) kept between analyses: a finished run's never
   * change, so an analysis after a new run asks data-aggregation for that run only (RunMemo).
   */
  @IsInt()
  @Min(1)
  @Max(65_536)
  RUN_MEMO_MB: number = 256;

  /**
   * Memory for the windows built last (a window's columns of every execution, built from the decoded
   * runs): an analysis asked again over the same runs uses the window built before.
   */
  @IsInt()
  @Min(1)
  @Max(65_536)
  WINDOW_MEMO_MB: number = 64;

  /**
   * A project's windows are built ahead this long after its last finished run (WindowPrebuilder):
   * the first analyses after a batch of runs find them built. 0 turns it off.
   */
  @IsInt({ message: 'WINDOW_PREBUILD_QUIET_MS must be an integer' })
  @Min(0, { message: 'WINDOW_PREBUILD_QUIET_MS must be at least 0' })
  @Max(3_600_000, { message: 'WINDOW_PREBUILD_QUIET_MS must be at most 3600000 (an hour)' })
  WINDOW_PREBUILD_QUIET_MS: number = 2000;
}
