import { bootstrapService } from '@testpulse/service-host';
import { AnalysisModule } from './analysis/analysis.module';
import { AnalyticsEngineEnv } from './env';

void bootstrapService({
  name: 'analytics-engine',
  env: AnalyticsEngineEnv,
  imports: [AnalysisModule],
  // Data versions: identical analyses over unchanged days share one computation.
  cache: true,
});
