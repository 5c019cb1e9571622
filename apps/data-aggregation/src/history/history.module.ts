import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { HistoryHandler } from './history.handler';
import { HistoryService } from './history.service';

@Module({
  imports: [IngestionModule],
  controllers: [HistoryHandler],
  providers: [HistoryService],
})
export class HistoryModule {}
