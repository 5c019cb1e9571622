import { ServiceEnv } from '@testpulse/config';

export class ExportIntegrationEnv extends ServiceEnv {
  override HEALTH_PORT = 3107;
}
