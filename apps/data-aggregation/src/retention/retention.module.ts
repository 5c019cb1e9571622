import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { IngestionModule } from '../ingestion/ingestion.module';
import { RetentionHandler } from './retention.handler';
import { RetentionRepository } from './retention.repository';
import { RetentionService } from './retention.service';
import { RetentionPolicy, RetentionPolicySchema } from './schemas/retention-policy.schema';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: RetentionPolicy.name, schema: RetentionPolicySchema }]),
    IngestionModule,
  ],
  controllers: [RetentionHandler],
  providers: [RetentionRepository, RetentionService],
  exports: [RetentionService],
})
export class RetentionModule {}
