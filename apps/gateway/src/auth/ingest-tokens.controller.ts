import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ProjectScoped, RequirePermissions } from '@testpulse/auth';
import {
  CreateIngestTokenDto,
  CreatedIngestTokenView,
  INGEST_TOKEN_PATTERNS,
  IngestTokenIdDto,
  IngestTokenListQueryDto,
  IngestTokenProjectQueryDto,
  IngestTokenView,
  Page,
} from '@testpulse/contracts';
import { ServiceClient } from '@testpulse/messaging';

/** Project ingest tokens for CI pipelines: managed by members of the project with `tokens:manage`. */
@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/tokens')
@RequirePermissions('tokens:manage')
export class IngestTokensController {
  constructor(private readonly services: ServiceClient) {}

  @Post()
  @ProjectScoped({ in: 'body', field: 'project' })
  @ApiOperation({ summary: 'Issue an ingest token for a project (the token is shown only in this answer)' })
  @ApiCreatedResponse({ type: CreatedIngestTokenView })
  create(@Body() input: CreateIngestTokenDto): Promise<CreatedIngestTokenView> {
    return this.services.send(INGEST_TOKEN_PATTERNS.create, input);
  }

  @Get()
  @ProjectScoped({ in: 'query', field: 'project' })
  @ApiOperation({ summary: "List a project's ingest tokens, newest first (never their secrets)" })
  list(@Query() query: IngestTokenListQueryDto): Promise<Page<IngestTokenView>> {
    return this.services.send(INGEST_TOKEN_PATTERNS.list, query);
  }

  @Delete(':id')
  @ProjectScoped({ in: 'query', field: 'project' })
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an ingest token: it is refused from the next request on' })
  @ApiNoContentResponse()
  async revoke(@Param() params: IngestTokenIdDto, @Query() query: IngestTokenProjectQueryDto): Promise<void> {
    await this.services.send(INGEST_TOKEN_PATTERNS.revoke, { id: params.id, project: query.project });
  }
}
