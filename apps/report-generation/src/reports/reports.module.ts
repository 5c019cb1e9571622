import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { SourcesClient } from '../sources/sources.client';
import { ReportTemplates, TEMPLATE_BUILDERS } from '../templates/template-registry';
import { ReportsHandler } from './reports.handler';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { Report, ReportSchema } from './schemas/report.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: Report.name, schema: ReportSchema }])],
  controllers: [ReportsHandler],
  providers: [SourcesClient, ...TEMPLATE_BUILDERS, ReportTemplates, ReportsRepository, ReportsService],
})
export class ReportsModule {}
