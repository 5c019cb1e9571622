import { IsInt, Max, Min } from 'class-validator';
import { ServiceEnv } from '@testpulse/config';

export class DataAggregationEnv extends ServiceEnv {
  override HEALTH_PORT = 3101;

  /** A streamed run without new results for this long is closed as `interrupted`. */
  @IsInt()
  @Min(1)
  RUN_TIMEOUT_SECONDS: number = 3600;

  /** How often stale runs are closed and cut-off finalisations resumed. */
  @IsInt()
  @Min(1)
  MAINTENANCE_INTERVAL_SECONDS: number = 60;

  /** How often the retention job deletes raw results past each project's retention. */
  @IsInt()
  @Min(1)
  RETENTION_INTERVAL_SECONDS: number = 3600;

  /** Days raw results are kept when a project sets no retention of its own (rollups are kept). */
  @IsInt()
  @Min(1)
  @Max(3650)
  RESULTS_RETENTION_DAYS: number = 90;

  /**
   * Memory for copies of stored history that analyses read again (past days' rollups, states and
   * indexes under their day's version, runs' outcomes): see StoredMemo.
   */
  @IsInt()
  @Min(1)
  @Max(65_536)
  HISTORY_MEMO_MB: number = 256;
}
