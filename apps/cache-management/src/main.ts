import { bootstrapService } from '@testpulse/service-host';
import { CacheManagementEnv } from './env';

void bootstrapService({ name: 'cache-management', env: CacheManagementEnv, imports: [] });
