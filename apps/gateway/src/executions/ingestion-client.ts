import { Inject, Injectable } from '@nestjs/common';
import {
  AppendBatchReply,
  EXECUTION_PATTERNS,
  IngestFormat,
  IngestReply,
  RunMetadataDto,
  StartRunReply,
  TestResultDto,
} from '@testpulse/contracts';
import { TestResult } from '@testpulse/domain';
import { ServiceClient } from '@testpulse/messaging';
import { createHash } from 'node:crypto';
import { GatewayEnv } from '../env';

/** Results per transport message, and a soft cap on its JSON size. */
const BATCH_RESULTS = 2000;
const BATCH_BYTES = 4 * 1024 * 1024;

export interface IngestOutcome {
  reply: IngestReply;
  /** The same upload had been stored before: nothing was written. */
  duplicate: boolean;
}

/**
 * Sends validated uploads to data-aggregation: open the run, store it in numbered batches (a retry
 * of the same upload rewrites the same documents), then finish it.
 */
@Injectable()
export class IngestionClient {
  /** Storing a batch and finalising a large run can take longer than an ordinary call. */
  private readonly timeoutMs: number;

  constructor(
    private readonly services: ServiceClient,
    @Inject(GatewayEnv) env: GatewayEnv,
  ) {
    this.timeoutMs = env.INGEST_TIMEOUT_MS;
  }

  async ingestWhole(
    meta: RunMetadataDto,
    results: TestResult[],
    source: IngestFormat,
  ): Promise<IngestOutcome> {
    const contentHash = createHash('sha256').update(JSON.stringify({ meta, results })).digest('hex');
    const started = await this.services.send<StartRunReply>(
      EXECUTION_PATTERNS.start,
      { run: meta, mode: 'one-shot', source, contentHash },
      { timeoutMs: this.timeoutMs },
    );
    if (started.outcome === 'duplicate') {
      const { project, runId, status, summary } = started.run;
      return { reply: { project, runId, status, summary }, duplicate: true };
    }
    let batch = 0;
    for (const chunk of batches(results)) {
      await this.append(meta.project, meta.runId, chunk, batch++);
    }
    const reply = await this.finish(meta.project, meta.runId, meta.finishedAt);
    return { reply, duplicate: false };
  }

  async startStream(meta: RunMetadataDto, source: IngestFormat): Promise<StartRunReply> {
    return this.services.send<StartRunReply>(EXECUTION_PATTERNS.start, { run: meta, mode: 'stream', source });
  }

  append(project: string, runId: string, results: TestResultDto[] | TestResult[], batch?: number) {
    return this.services.send<AppendBatchReply>(
      EXECUTION_PATTERNS.append,
      { project, runId, results, ...(batch === undefined ? {} : { batch }) },
      { timeoutMs: this.timeoutMs },
    );
  }

  finish(project: string, runId: string, finishedAt?: string) {
    return this.services.send<IngestReply>(
      EXECUTION_PATTERNS.finish,
      { project, runId, ...(finishedAt ? { finishedAt } : {}) },
      { timeoutMs: this.timeoutMs },
    );
  }
}

/** Splits results into transport-sized batches (by count and approximate JSON size). */
export function* batches<T>(results: T[]): Generator<T[]> {
  let chunk: T[] = [];
  let bytes = 0;
  for (const result of results) {
    const size = JSON.stringify(result).length;
    if (chunk.length > 0 && (chunk.length >= BATCH_RESULTS || bytes + size > BATCH_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(result);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
