import { bootstrapService } from '@testpulse/service-host';
import { ReportGenerationEnv } from './env';
import { ReportsModule } from './reports/reports.module';

void bootstrapService({
  name: 'report-generation',
  env: ReportGenerationEnv,
  cache: true,
  imports: [ReportsModule],
});
