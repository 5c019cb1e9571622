import { Module } from '@nestjs/common';
import { IngestionModule } from '../ingestion/ingestion.module';
import { HistoryHandler } from './history.handler';
import { HistoryService } from './history.service';
import { StoredMemo } from './stored-memo';

@Module({
  imports: [IngestionModule],
  controllers: [HistoryHandler],
  providers: [HistoryService, StoredMemo],
})
export class HistoryModule {}
