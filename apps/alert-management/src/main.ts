import { bootstrapService } from '@testpulse/service-host';
import { AlertsModule } from './alerts/alerts.module';
import { AlertManagementEnv } from './env';

void bootstrapService({
  name: 'alert-management',
  env: AlertManagementEnv,
  imports: [AlertsModule],
  // Data versions: the alerts of a project are kept in memory while its version stands.
  cache: true,
});
