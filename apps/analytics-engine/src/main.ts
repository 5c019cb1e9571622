import { bootstrapService } from '@testpulse/service-host';
import { AnalyticsEngineEnv } from './env';

void bootstrapService({ name: 'analytics-engine', env: AnalyticsEngineEnv, imports: [] });
