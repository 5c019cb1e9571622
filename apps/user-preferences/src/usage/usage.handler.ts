import { Controller, Logger } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  USAGE_EVENTS,
  USAGE_LIMITS,
  USAGE_PATTERNS,
  UsageRecordedEvent,
  UsageTopEntryView,
  UsageTopQueryDto,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { UsageRepository } from './usage.repository';

const DEFAULT_TOP = 20;

/** What users open: counts from the gateway, and the most used things for cache warming. */
@Controller()
export class UsageHandler {
  private readonly logger = new Logger(UsageHandler.name);

  constructor(private readonly usage: UsageRepository) {}

  @EventPattern(USAGE_EVENTS.recorded)
  async recorded(@MessageData() event: UsageRecordedEvent): Promise<void> {
    const records = event.records.filter(
      (record) => JSON.stringify(record.params).length <= USAGE_LIMITS.paramsBytes,
    );
    try {
      await this.usage.add(records);
    } catch (error) {
      this.logger.error({ err: error, records: records.length }, 'usage counts could not be stored');
    }
  }

  @MessagePattern(USAGE_PATTERNS.top)
  top(@MessageData() query: UsageTopQueryDto): Promise<UsageTopEntryView[]> {
    return this.usage.top({ ...query, limit: query.limit ?? DEFAULT_TOP });
  }
}
