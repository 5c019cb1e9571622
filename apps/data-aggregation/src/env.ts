import { ServiceEnv } from '@testpulse/config';

export class DataAggregationEnv extends ServiceEnv {
  override HEALTH_PORT = 3101;
}
