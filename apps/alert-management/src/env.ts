import { ServiceEnv } from '@testpulse/config';

export class AlertManagementEnv extends ServiceEnv {
  override HEALTH_PORT = 3106;
}
