import { ServiceEnv } from '@testpulse/config';

export class AnalyticsEngineEnv extends ServiceEnv {
  override HEALTH_PORT = 3102;
}
