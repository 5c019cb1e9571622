import { ServiceEnv } from '@testpulse/config';

export class UserPreferencesEnv extends ServiceEnv {
  override HEALTH_PORT = 3108;
}
