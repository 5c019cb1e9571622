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
import { UsageRecorder } from '../usage/usage-recorder';

/** Reports assembled and stored by report-generation. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    private readonly usage: UsageRecorder,
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
  async generate(@Body() body: GenerateReportDto, @CurrentUser() user: AuthUser): Promise<ReportView> {
    const report = await this.services.send<ReportView>(
      REPORT_PATTERNS.generate,
      { ...body, createdBy: user.username },
      { timeoutMs: this.timeoutMs },
    );
    const { template, filter } = JSON.parse(JSON.stringify(body)) as Pick<
      GenerateReportDto,
      'template' | 'filter'
    >;
    this.usage.record(user.username, 'reports', report.projects, { template, filter });
    return report;
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
