import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ProjectScoped, RequirePermissions } from '@testpulse/auth';
import {
  AppendResultsDto,
  CreateExecutionDto,
  EXECUTION_PATTERNS,
  ExecutionListQueryDto,
  FinishExecutionDto,
  IngestReply,
  Page,
  ResultsQueryDto,
  RunView,
  StoredResultView,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';
import { ParsedReport, ResultFormatError, parseCtrf } from '@testpulse/result-formats';
import type { Request, Response } from 'express';
import { ProjectQueryDto, RunIdParamDto } from './dto/run-ref.dto';
import { UploadQueryDto } from './dto/upload-query.dto';
import { IngestionClient, batches } from './ingestion-client';
import { ReportUploads } from './report-uploads';

export interface AppendView extends IngestReply {
  stored: number;
}

@ApiTags('executions')
@ApiBearerAuth()
@Controller('executions')
export class ExecutionsController {
  constructor(
    private readonly ingestion: IngestionClient,
    private readonly services: ServiceClient,
    private readonly uploads: ReportUploads,
  ) {}

  /**
   * A whole run in one request (201; 200 when the same run was already stored), or with
   * `status: "running"` the start of a streamed run.
   */
  @Post()
  @RequirePermissions('results:ingest')
  @ProjectScoped({ in: 'body', field: 'project' })
  async create(
    @Body() body: CreateExecutionDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestReply> {
    const { status, results = [], ...meta } = body;
    if (status !== 'running') {
      const outcome = await this.ingestion.ingestWhole(meta, results, 'native');
      res.status(outcome.duplicate ? 200 : 201);
      return outcome.reply;
    }
    const started = await this.ingestion.startStream(meta, 'native');
    let summary = started.run.summary;
    let batch = 0;
    for (const chunk of batches(results)) {
      summary = (await this.ingestion.append(meta.project, meta.runId, chunk, batch++)).summary;
    }
    res.status(started.outcome === 'created' ? 201 : 200);
    return { runId: meta.runId, project: meta.project, status: 'running', summary };
  }

  /**
   * JUnit XML from any runner: one XML document as the body, or several files as multipart/form-data.
   * Parsed as a stream; DTDs and entities are refused.
   */
  @Post('junit')
  @RequirePermissions('results:ingest')
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiConsumes('application/xml', 'multipart/form-data')
  @ApiBody({ description: 'A JUnit XML report, or files in multipart/form-data' })
  async junit(
    @Query() query: UploadQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestReply> {
    const reports = await this.uploads.readJUnit(req);
    return this.ingestReports(query, reports, 'junit', res);
  }

  /** A CTRF JSON report (with or without reportFormat/specVersion). */
  @Post('ctrf')
  @RequirePermissions('results:ingest')
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiBody({ description: 'A CTRF report' })
  async ctrf(
    @Query() query: UploadQueryDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IngestReply> {
    if (!req.is('application/json'))
      throw new BadRequestException('a CTRF report must be sent as application/json');
    let report: ParsedReport;
    try {
      report = parseCtrf(req.body);
    } catch (error) {
      if (error instanceof ResultFormatError) throw new BadRequestException(error.message);
      throw error;
    }
    return this.ingestReports(query, [report], 'ctrf', res);
  }

  private async ingestReports(
    query: UploadQueryDto,
    reports: ParsedReport[],
    source: 'junit' | 'ctrf',
    res: Response,
  ): Promise<IngestReply> {
    const [first] = reports;
    const startedAt = query.startedAt ?? first?.startedAt;
    const finishedAt = query.finishedAt ?? first?.finishedAt;
    const name = query.name ?? first?.name;
    const meta = {
      ...query,
      ...(startedAt ? { startedAt } : {}),
      ...(finishedAt ? { finishedAt } : {}),
      ...(name ? { name: name.slice(0, 500) } : {}),
    };
    const outcome = await this.ingestion.ingestWhole(
      meta,
      reports.flatMap((r) => r.results),
      source,
    );
    res.status(outcome.duplicate ? 200 : 201);
    return outcome.reply;
  }

  /** One batch of a streamed run; send `batch` (0, 1, …) so that a re-sent batch is stored once. */
  @Post(':runId/results')
  @HttpCode(200)
  @RequirePermissions('results:ingest')
  @ProjectScoped({ in: 'body', field: 'project' })
  async append(@Param() { runId }: RunIdParamDto, @Body() body: AppendResultsDto): Promise<AppendView> {
    const reply = await this.ingestion.append(body.project, runId, body.results, body.batch);
    return { runId, project: body.project, status: 'running', stored: reply.stored, summary: reply.summary };
  }

  @Post(':runId/finish')
  @HttpCode(200)
  @RequirePermissions('results:ingest')
  @ProjectScoped({ in: 'body', field: 'project' })
  finish(@Param() { runId }: RunIdParamDto, @Body() body: FinishExecutionDto): Promise<IngestReply> {
    return this.ingestion.finish(body.project, runId, body.finishedAt);
  }

  @Get()
  @RequirePermissions('results:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  list(@Query() query: ExecutionListQueryDto): Promise<Page<RunView>> {
    return this.services.send(EXECUTION_PATTERNS.list, query);
  }

  /** Summary and live status of one run. */
  @Get(':runId')
  @RequirePermissions('results:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiOkResponse({ description: 'The run, with live counts while it is running' })
  get(@Param() { runId }: RunIdParamDto, @Query() { project }: ProjectQueryDto): Promise<RunView> {
    return this.services.send(EXECUTION_PATTERNS.get, { project, runId });
  }

  /** Drill-down: the run's results (optionally of one status) with errors, stacks and attempts. */
  @Get(':runId/results')
  @RequirePermissions('results:read')
  @ProjectScoped({ in: 'query', field: 'project' })
  results(
    @Param() { runId }: RunIdParamDto,
    @Query() query: ResultsQueryDto,
  ): Promise<Page<StoredResultView>> {
    return this.services.send(EXECUTION_PATTERNS.results, { ...query, runId });
  }
}
