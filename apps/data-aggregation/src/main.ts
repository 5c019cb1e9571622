import { bootstrapService } from '@testpulse/service-host';
import { DataAggregationEnv } from './env';

void bootstrapService({ name: 'data-aggregation', env: DataAggregationEnv, imports: [] });
