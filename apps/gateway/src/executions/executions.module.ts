import { Module } from '@nestjs/common';
import { ExecutionsController } from './executions.controller';
import { IngestionClient } from './ingestion-client';

@Module({
  controllers: [ExecutionsController],
  providers: [IngestionClient],
})
export class ExecutionsModule {}
