import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { RetentionModule } from '../retention/retention.module';
import { MaintenanceScheduler } from './maintenance.scheduler';
import { StaleRunsService } from './stale-runs.service';

@Module({
  imports: [IngestionModule, RetentionModule],
  providers: [StaleRunsService, MaintenanceScheduler],
})
export class MaintenanceModule {}
