import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ResultStatus } from '@testpulse/domain';
import { FilterQuery, Model } from 'mongoose';
import { insertNew } from '../storage/insert-new';
import { StoredResult } from './schemas/result.schema';

export type StoredResultRecord = StoredResult;

/** The fields a run's finalisation reads back. */
export type ResultFacts = Pick<
  StoredResult,
  '_id' | 'testId' | 'suite' | 'name' | 'file' | 'status' | 'flaky' | 'durationMs'
>;

@Injectable()
export class ResultsRepository {
  constructor(@InjectModel(StoredResult.name) private readonly results: Model<StoredResult>) {}

  /**
   * Inserts the results that are not stored yet; returns the positions of the new ones. A new batch
   * is one insertMany; a batch seen before (a retry) inserts only what is missing.
   */
  async insertMissing(docs: StoredResult[]): Promise<number[]> {
    return insertNew(this.results, docs);
  }

  /** Every result of a run, streamed. */
  async *factsOfRun(project: string, runId: string): AsyncGenerator<ResultFacts> {
    const cursor = this.results
      .find({ project, runId }, { testId: 1, suite: 1, name: 1, file: 1, status: 1, flaky: 1, durationMs: 1 })
      .lean<ResultFacts>()
      .cursor({ batchSize: 2000 });
    for await (const doc of cursor) yield doc as ResultFacts;
  }

  async page(
    filter: { project: string; runId: string; status?: ResultStatus },
    skip: number,
    limit: number,
  ): Promise<{ items: StoredResultRecord[]; total: number }> {
    const query: FilterQuery<StoredResult> = { project: filter.project, runId: filter.runId };
    if (filter.status) query.status = filter.status;
    const [docs, total] = await Promise.all([
      this.results.find(query).sort({ _id: 1 }).skip(skip).limit(limit).lean<StoredResult[]>().exec(),
      this.results.countDocuments(query).exec(),
    ]);
    return { items: docs, total };
  }

  /** Retention: drops raw results of `project` from days before `day`. */
  async deleteBefore(project: string, day: string): Promise<number> {
    const result = await this.results.deleteMany({ project, day: { $lt: day } }).exec();
    return result.deletedCount;
  }

  async projects(): Promise<string[]> {
    return (await this.results.distinct('project').exec()) as string[];
  }
}
