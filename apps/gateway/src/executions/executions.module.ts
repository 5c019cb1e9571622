import { Module } from '@nestjs/common';
import { ExecutionsController } from './executions.controller';
import { IngestionClient } from './ingestion-client';
import { ReportUploads } from './report-uploads';
import { RetentionController } from './retention.controller';

@Module({
  controllers: [ExecutionsController, RetentionController],
  providers: [IngestionClient, ReportUploads],
})
export class ExecutionsModule {}
