import { bootstrapService } from '@testpulse/service-host';
import { DataAggregationEnv } from './env';
import { HistoryModule } from './history/history.module';
import { IngestionModule } from './ingestion/ingestion.module';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { RetentionModule } from './retention/retention.module';

void bootstrapService({
  name: 'data-aggregation',
  env: DataAggregationEnv,
  cache: true,
  imports: [IngestionModule, HistoryModule, RetentionModule, MaintenanceModule],
});
