import { bootstrapService } from '@testpulse/service-host';
import { AlertManagementEnv } from './env';

void bootstrapService({ name: 'alert-management', env: AlertManagementEnv, imports: [] });
