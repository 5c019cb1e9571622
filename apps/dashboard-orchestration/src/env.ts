import { ServiceEnv } from '@testpulse/config';

export class DashboardOrchestrationEnv extends ServiceEnv {
  override HEALTH_PORT = 3105;
}
