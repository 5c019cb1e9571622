import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { DataAggregationEnv } from '../env';
import { RetentionService } from '../retention/retention.service';
import { StaleRunsService } from './stale-runs.service';

const QUEUE = 'data-aggregation-maintenance';
const JOBS = { staleRuns: 'close-stale-runs', retention: 'enforce-retention' } as const;

/**
 * Periodic jobs on a BullMQ queue: with several replicas, each tick runs on one of them only.
 */
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MaintenanceScheduler.name);
  private connection?: Redis;
  private queue?: Queue;
  private worker?: Worker;

  constructor(
    private readonly staleRuns: StaleRunsService,
    private readonly retention: RetentionService,
    @Inject(DataAggregationEnv) private readonly env: DataAggregationEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = new Redis(this.env.REDIS_URL, { maxRetriesPerRequest: null });
    this.queue = new Queue(QUEUE, { connection: this.connection });
    await this.queue.upsertJobScheduler(
      JOBS.staleRuns,
      { every: this.env.MAINTENANCE_INTERVAL_SECONDS * 1000 },
      { name: JOBS.staleRuns, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    await this.queue.upsertJobScheduler(
      JOBS.retention,
      { every: this.env.RETENTION_INTERVAL_SECONDS * 1000 },
      { name: JOBS.retention, opts: { removeOnComplete: 100, removeOnFail: 100 } },
    );
    this.worker = new Worker(QUEUE, (job) => this.run(job), { connection: this.connection, concurrency: 1 });
    this.worker.on('failed', (job, error) =>
      this.logger.error({ job: job?.name, err: error }, 'maintenance job failed'),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    this.connection?.disconnect();
  }

  private async run(job: Job): Promise<number> {
    if (job.name === JOBS.staleRuns) return this.staleRuns.sweep();
    if (job.name === JOBS.retention) return this.retention.enforce();
    throw new Error(`unknown maintenance job ${job.name}`);
  }
}
