import { Inject, Injectable, Logger } from '@nestjs/common';
import { TwoLayerCache } from '@testpulse/cache';
import { RetentionView } from '@testpulse/contracts';
import { ResultsRepository } from '../results/results.repository';
import { CalendarRepository } from '../rollups/calendar.repository';
import { RunsRepository } from '../runs/runs.repository';
import { DataAggregationEnv } from '../env';
import { RetentionRepository } from './retention.repository';

const DAY_MS = 24 * 3600 * 1000;

/** Raw results are deleted after each project's retention; rollups and run summaries stay. */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly policies: RetentionRepository,
    private readonly results: ResultsRepository,
    private readonly runs: RunsRepository,
    private readonly calendar: CalendarRepository,
    @Inject(DataAggregationEnv) private readonly env: DataAggregationEnv,
    private readonly cache: TwoLayerCache,
  ) {}

  async get(project: string): Promise<RetentionView> {
    const days = await this.policies.find(project);
    return { project, rawResultDays: days ?? this.env.RESULTS_RETENTION_DAYS, isDefault: days === undefined };
  }

  async set(project: string, rawResultDays: number): Promise<RetentionView> {
    await this.policies.set(project, rawResultDays);
    return { project, rawResultDays, isDefault: false };
  }

  /**
   * Deletes raw results older than each project's retention (whole UTC days). A project whose calendar
   * lists no day before the cutoff that still holds results is skipped: the deletion's filter is not an
   * `_id` equality, which FerretDB answers by scanning every stored result (minutes of CPU at a
   * million results, every hour). A run still open is not listed until it finishes, so its results
   * wait for the next pass after that; one finishing while its day is being deleted may be marked
   * deleted with results left, until a later run of that day lists it again.
   */
  async enforce(now = new Date()): Promise<number> {
    let deleted = 0;
    for (const project of await this.runs.projects()) {
      const { rawResultDays } = await this.get(project);
      const cutoffDay = new Date(now.getTime() - rawResultDays * DAY_MS).toISOString().slice(0, 10);
      const due = await this.calendar.unpurgedBefore(project, cutoffDay);
      if (due && due.length === 0) continue;
      const count = await this.results.deleteBefore(project, cutoffDay);
      if (due) await this.calendar.markPurged(project, due);
      // Drill-downs and examples read raw results.
      if (count > 0) await this.cache.invalidate({ project }, { retry: true });
      if (count > 0)
        this.logger.log({ project, cutoffDay, deleted: count }, 'retention: raw results deleted');
      deleted += count;
    }
    return deleted;
  }
}
