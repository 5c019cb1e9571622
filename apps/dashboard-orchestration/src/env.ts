import { ServiceEnv } from '@testpulse/config';
import { IsInt, Max, Min } from 'class-validator';

export class DashboardOrchestrationEnv extends ServiceEnv {
  override HEALTH_PORT = 3105;

  /** Deadline of one widget's reads from the computing services. */
  @IsInt()
  @Min(100)
  @Max(120_000)
  WIDGET_TIMEOUT_MS: number = 30_000;

  /** Most one widget's live updates are pushed under a burst of runs (the last one always is). */
  @IsInt()
  @Min(0)
  @Max(60_000)
  WIDGET_UPDATE_INTERVAL_MS: number = 100;
}
