import { Controller, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  AUDIT_EVENTS,
  AUDIT_PATTERNS,
  AuditQueryDto,
  AuditRecordDto,
  DEFAULT_PAGE_SIZE,
  Page,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { AuditEntry, AuditRepository } from './audit.repository';

@Controller()
export class AuditHandler {
  private readonly logger = new Logger(AuditHandler.name);

  constructor(private readonly audit: AuditRepository) {}

  @EventPattern(AUDIT_EVENTS.recorded)
  async recorded(@MessageData() record: AuditRecordDto): Promise<void> {
    try {
      await this.audit.record({ ...record, at: new Date(record.at) });
    } catch (error) {
      this.logger.error(
        { err: error, correlationId: record.correlationId },
        'audit record could not be stored',
      );
    }
  }

  @MessagePattern(AUDIT_PATTERNS.list)
  async list(@MessageData() query: AuditQueryDto): Promise<Page<AuditEntry>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? DEFAULT_PAGE_SIZE;
    const { items, total } = await this.audit.page((page - 1) * pageSize, pageSize, query.username);
    return { items, page, pageSize, total };
  }
}
