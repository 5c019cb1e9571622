import { bootstrapService } from '@testpulse/service-host';
import { DashboardsModule } from './dashboards/dashboards.module';
import { DashboardOrchestrationEnv } from './env';

void bootstrapService({
  name: 'dashboard-orchestration',
  env: DashboardOrchestrationEnv,
  cache: true,
  imports: [DashboardsModule],
});
