import { ServiceEnv } from '@testpulse/config';

export class CacheManagementEnv extends ServiceEnv {
  override HEALTH_PORT = 3104;
}
