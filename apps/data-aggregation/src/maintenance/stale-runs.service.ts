import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataAggregationEnv } from '../env';
import { IngestionService } from '../ingestion/ingestion.service';
import { RunsRepository } from '../runs/runs.repository';

/**
 * Closes streamed runs that stopped sending results (as `interrupted`) and resumes finalisations
 * that a crash cut off. Whole uploads cut off midway are left for the client's retry, which
 * completes them with the same runId.
 */
@Injectable()
export class StaleRunsService {
  private readonly logger = new Logger(StaleRunsService.name);

  constructor(
    private readonly runs: RunsRepository,
    private readonly ingestion: IngestionService,
    @Inject(DataAggregationEnv) private readonly env: DataAggregationEnv,
  ) {}

  async sweep(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.env.RUN_TIMEOUT_SECONDS * 1000);
    let closed = 0;
    for (const run of await this.runs.unfinished(before, 500)) {
      const streamGoneQuiet = run.mode === 'stream' && run.status === 'running';
      const finalisationCutOff = run.status !== 'running';
      if (!streamGoneQuiet && !finalisationCutOff) continue;
      const reply = await this.ingestion.finish({ project: run.project, runId: run.runId }, 'interrupted');
      this.logger.log({ project: run.project, runId: run.runId, status: reply.status }, 'stale run closed');
      closed += 1;
    }
    return closed;
  }
}
