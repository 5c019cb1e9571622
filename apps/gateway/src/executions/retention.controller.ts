import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ProjectScoped, RequirePermissions } from '@testpulse/auth';
import { ProjectKeyDto, RETENTION_PATTERNS, RetentionDto, RetentionView } from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';

/** How long a project's raw results are kept; daily rollups are kept regardless. */
@ApiTags('projects')
@ApiBearerAuth()
@Controller('projects/:key/retention')
export class RetentionController {
  constructor(private readonly services: ServiceClient) {}

  @Get()
  @RequirePermissions('projects:read')
  @ProjectScoped({ in: 'params', field: 'key' })
  get(@Param() params: ProjectKeyDto): Promise<RetentionView> {
    return this.services.send(RETENTION_PATTERNS.get, params);
  }

  @Put()
  @RequirePermissions('projects:manage')
  @ProjectScoped({ in: 'params', field: 'key' })
  set(@Param() { key }: ProjectKeyDto, @Body() body: RetentionDto): Promise<RetentionView> {
    return this.services.send(RETENTION_PATTERNS.set, { project: key, rawResultDays: body.rawResultDays });
  }
}
