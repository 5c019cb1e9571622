import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { UsageRecord, UsageRecordSchema } from './schemas/usage-record.schema';
import { UsageHandler } from './usage.handler';
import { UsageRepository } from './usage.repository';

@Module({
  imports: [MongooseModule.forFeature([{ name: UsageRecord.name, schema: UsageRecordSchema }])],
  controllers: [UsageHandler],
  providers: [UsageRepository],
})
export class UsageModule {}
