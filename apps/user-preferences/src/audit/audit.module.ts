import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AuditHandler } from './audit.handler';
import { AuditRepository } from './audit.repository';
import { AuditRecord, AuditRecordSchema } from './schemas/audit-record.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: AuditRecord.name, schema: AuditRecordSchema }])],
  controllers: [AuditHandler],
  providers: [AuditRepository],
})
export class AuditModule {}
