import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { RETENTION_PATTERNS, RetentionView, SetRetentionMessage } from '@testpulse/contracts';
import { ProjectKeyDto } from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { RetentionService } from './retention.service';

@Controller()
export class RetentionHandler {
  constructor(private readonly retention: RetentionService) {}

  @MessagePattern(RETENTION_PATTERNS.get)
  get(@MessageData() message: ProjectKeyDto): Promise<RetentionView> {
    return this.retention.get(message.key);
  }

  @MessagePattern(RETENTION_PATTERNS.set)
  set(@MessageData() message: SetRetentionMessage): Promise<RetentionView> {
    return this.retention.set(message.project, message.rawResultDays);
  }
}
