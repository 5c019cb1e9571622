import { bootstrapService } from '@testpulse/service-host';
import { ExportIntegrationEnv } from './env';

void bootstrapService({ name: 'export-integration', env: ExportIntegrationEnv, imports: [] });
