import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv } from '@testpulse/config';

export class CacheManagementEnv extends ServiceEnv {
  override HEALTH_PORT = 3104;

  /** After a run finishes, re-warming of its project waits for this long without another run... */
  @IsInt()
  @Min(0)
  REWARM_QUIET_MS: number = 2000;

  /** ...but no longer than this after the first run of the burst. */
  @IsInt()
  @Min(0)
  REWARM_MAX_WAIT_MS: number = 10_000;

  /** Most used entries of the project re-warmed after a burst of runs (0: no re-warming). */
  @IsInt()
  @Min(0)
  @Max(200)
  REWARM_LIMIT: number = 20;

  /** Deadline of each computation while warming. */
  @IsInt()
  @Min(100)
  WARM_TIMEOUT_MS: number = 30_000;
}
