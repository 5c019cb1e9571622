import { bootstrapService } from '@testpulse/service-host';
import { CacheAdminModule } from './cache-admin/cache-admin.module';
import { CacheManagementEnv } from './env';

void bootstrapService({
  name: 'cache-management',
  env: CacheManagementEnv,
  cache: true,
  imports: [CacheAdminModule],
});
