import { IsInt, Min } from 'class-validator';
import { ServiceEnv } from '@testpulse/config';

export class ReportGenerationEnv extends ServiceEnv {
  override HEALTH_PORT = 3103;

  /**
   * Deadline of each call this service makes while assembling a report (analyses by analytics-engine,
   * history reads by data-aggregation): they read and compute over weeks of history.
   */
  @IsInt()
  @Min(100)
  REPORT_TIMEOUT_MS: number = 30_000;
}
