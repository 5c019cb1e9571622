import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  GenerateReportMessage,
  GetReportMessage,
  REPORT_PATTERNS,
  ReportTemplateView,
  ReportView,
  WarmReportMessage,
  WarmReportReply,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { ReportsService } from './reports.service';

@Controller()
export class ReportsHandler {
  constructor(private readonly reports: ReportsService) {}

  @MessagePattern(REPORT_PATTERNS.templates)
  templates(): ReportTemplateView[] {
    return this.reports.listTemplates();
  }

  @MessagePattern(REPORT_PATTERNS.generate)
  generate(@MessageData() message: GenerateReportMessage): Promise<ReportView> {
    return this.reports.generate(message);
  }

  @MessagePattern(REPORT_PATTERNS.warm)
  warm(@MessageData() message: WarmReportMessage): Promise<WarmReportReply> {
    return this.reports.warm(message);
  }

  @MessagePattern(REPORT_PATTERNS.get)
  get(@MessageData() message: GetReportMessage): Promise<ReportView> {
    return this.reports.get(message);
  }
}
