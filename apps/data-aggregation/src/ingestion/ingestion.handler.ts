import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  AppendBatchMessage,
  AppendBatchReply,
  EXECUTION_PATTERNS,
  ExecutionListQueryDto,
  LatestRunsMessage,
  FinishRunMessage,
  IngestReply,
  Page,
  RunRefMessage,
  RunResultsMessage,
  RunView,
  StartRunMessage,
  StartRunReply,
  StoredResultView,
} from '@testpulse/contracts';
import { MessageData } from '@testpulse/messaging';
import { IngestionService } from './ingestion.service';

@Controller()
export class IngestionHandler {
  constructor(private readonly ingestion: IngestionService) {}

  @MessagePattern(EXECUTION_PATTERNS.start)
  start(@MessageData() message: StartRunMessage): Promise<StartRunReply> {
    return this.ingestion.start(message);
  }

  @MessagePattern(EXECUTION_PATTERNS.append)
  append(@MessageData() message: AppendBatchMessage): Promise<AppendBatchReply> {
    return this.ingestion.append(message);
  }

  @MessagePattern(EXECUTION_PATTERNS.finish)
  finish(@MessageData() message: FinishRunMessage): Promise<IngestReply> {
    return this.ingestion.finish(message);
  }

  @MessagePattern(EXECUTION_PATTERNS.get)
  get(@MessageData() message: RunRefMessage): Promise<RunView> {
    return this.ingestion.get(message.project, message.runId);
  }

  @MessagePattern(EXECUTION_PATTERNS.list)
  list(@MessageData() query: ExecutionListQueryDto): Promise<Page<RunView>> {
    return this.ingestion.list(query);
  }

  @MessagePattern(EXECUTION_PATTERNS.latest)
  latest(@MessageData() message: LatestRunsMessage): Promise<RunView[]> {
    return this.ingestion.latest(message);
  }

  @MessagePattern(EXECUTION_PATTERNS.results)
  results(@MessageData() query: RunResultsMessage): Promise<Page<StoredResultView>> {
    return this.ingestion.resultsOf(query);
  }
}
