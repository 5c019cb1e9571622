import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
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
import type { Response } from 'express';
import { ProjectQueryDto, RunIdParamDto } from './dto/run-ref.dto';
import { IngestionClient, batches } from './ingestion-client';

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
