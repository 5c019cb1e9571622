import { ServiceEnv } from '@testpulse/config';

export class ReportGenerationEnv extends ServiceEnv {
  override HEALTH_PORT = 3103;
}
