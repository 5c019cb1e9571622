import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreateIngestTokenDto,
  CreatedIngestTokenView,
  INGEST_TOKEN_PATTERNS,
  IngestTokenIdentity,
  IngestTokenListQueryDto,
  IngestTokenView,
  Page,
  RevokeIngestTokenDto,
  VerifyIngestTokenDto,
} from '@testpulse/contracts';
import { MessageActor, MessageData } from '@testpulse/messaging';
import { Actor } from '@testpulse/observability';
import { IngestTokensService } from './ingest-tokens.service';

@Controller()
export class IngestTokensHandler {
  constructor(private readonly tokens: IngestTokensService) {}

  @MessagePattern(INGEST_TOKEN_PATTERNS.create)
  create(
    @MessageData() input: CreateIngestTokenDto,
    @MessageActor() actor?: Actor,
  ): Promise<CreatedIngestTokenView> {
    return this.tokens.create(input, actor);
  }

  @MessagePattern(INGEST_TOKEN_PATTERNS.list)
  list(@MessageData() query: IngestTokenListQueryDto): Promise<Page<IngestTokenView>> {
    return this.tokens.list(query);
  }

  @MessagePattern(INGEST_TOKEN_PATTERNS.revoke)
  revoke(
    @MessageData() input: RevokeIngestTokenDto,
    @MessageActor() actor?: Actor,
  ): Promise<IngestTokenView> {
    return this.tokens.revoke(input, actor);
  }

  @MessagePattern(INGEST_TOKEN_PATTERNS.verify)
  verify(@MessageData() input: VerifyIngestTokenDto): Promise<IngestTokenIdentity> {
    return this.tokens.verify(input.token);
  }
}
