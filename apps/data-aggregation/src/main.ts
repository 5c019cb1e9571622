import { bootstrapService } from '@testpulse/service-host';
import { DataAggregationEnv } from './env';
import { IngestionModule } from './ingestion/ingestion.module';

void bootstrapService({ name: 'data-aggregation', env: DataAggregationEnv, imports: [IngestionModule] });
