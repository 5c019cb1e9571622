import { bootstrapService } from '@testpulse/service-host';
import { DashboardOrchestrationEnv } from './env';

void bootstrapService({ name: 'dashboard-orchestration', env: DashboardOrchestrationEnv, imports: [] });
