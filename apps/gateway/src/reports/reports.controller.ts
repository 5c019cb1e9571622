import { Body, Controller, Get, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, ProjectScoped, RequirePermissions, can } from '@testpulse/auth';
import {
  GenerateReportDto,
  REPORT_PATTERNS,
  ReportIdDto,
  ReportTemplateView,
  ReportView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { GatewayEnv } from '../env';

/** Reports assembled and stored by report-generation. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    @Inject(GatewayEnv) env: GatewayEnv,
  ) {
    this.timeoutMs = env.ANALYTICS_TIMEOUT_MS;
  }

  // Declared before `:id`, so that `templates` is not taken for a report id.
  @Get('templates')
  @ApiOperation({ summary: 'Report templates and the filter fields each reads' })
  @RequirePermissions('reports:read')
  templates(): Promise<ReportTemplateView[]> {
    return this.services.send(REPORT_PATTERNS.templates, {});
  }

  @Post('generate')
  @ApiOperation({
    summary: 'Generate and store a report; the caller must belong to every project of the filter',
  })
  @RequirePermissions('reports:generate')
  @ProjectScoped({ in: 'body', field: 'filter.projects' })
  generate(@Body() body: GenerateReportDto, @CurrentUser() user: AuthUser): Promise<ReportView> {
    return this.services.send(
      REPORT_PATTERNS.generate,
      { ...body, createdBy: user.username },
      { timeoutMs: this.timeoutMs },
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'A stored report, for members of every project it covers' })
  @RequirePermissions('reports:read')
  get(@Param() { id }: ReportIdDto, @CurrentUser() user: AuthUser): Promise<ReportView> {
    return this.services.send(REPORT_PATTERNS.get, {
      id,
      ...(can(user, 'projects:all') ? {} : { member: user.username }),
    });
  }
}
