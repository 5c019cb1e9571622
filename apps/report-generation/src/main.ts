import { bootstrapService } from '@testpulse/service-host';
import { ReportGenerationEnv } from './env';

void bootstrapService({ name: 'report-generation', env: ReportGenerationEnv, imports: [] });
