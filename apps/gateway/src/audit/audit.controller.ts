import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RequirePermissions } from '@testpulse/auth';
import { AUDIT_PATTERNS, AuditQueryDto } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly services: ServiceClient) {}

  /** Mutating requests, newest first. */
  @Get()
  @RequirePermissions('audit:read')
  list(@Query() query: AuditQueryDto): Promise<unknown> {
    return this.services.send(AUDIT_PATTERNS.list, query);
  }
}
