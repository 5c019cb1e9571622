import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { findByIds } from '../storage/by-id';
import { insertNew } from '../storage/insert-new';
import { ResultFacts, readResultBatch, toResultBatch } from './result-batch';
import { ResultBatch, resultBatchId, storedResultId } from './schemas/result-batch.schema';
import { StoredResult } from './schemas/result.schema';

export type StoredResultRecord = StoredResult;

type BatchRun = { project: string; runId: string; day: string; batches?: string[] };

@Injectable()
export class ResultsRepository {
  constructor(
    @InjectModel(StoredResult.name) private readonly results: Model<StoredResult>,
    @InjectModel(ResultBatch.name) private readonly manifests: Model<ResultBatch>,
  ) {}

  /**
   * Stores a batch: the results that are not stored yet (returns the positions of the new ones),
   * then the batch's manifest. A new batch is one insertMany; a batch seen before (a retry) inserts
   * only what is missing. The manifest comes last, so a manifest means all its results are stored.
   */
  async storeBatch(run: BatchRun, batch: string, docs: StoredResult[]): Promise<number[]> {
    const inserted = await insertNew(this.results, docs);
    await insertNew(this.manifests, [toResultBatch(run, batch, docs)]);
    return inserted;
  }

  /**
   * The facts of every result of a run, batch by batch in the order the run lists them. A batch
   * listed without a manifest (the process stopped between its results and its manifest) is rebuilt
   * from the results stored under it, which are a prefix of the batch (they are inserted in order).
   */
  async factsOfRun(run: BatchRun): Promise<ResultFacts[]> {
    const keys = run.batches ?? [];
    const docs = await findByIds(
      this.manifests,
      keys.map((key) => resultBatchId(run.project, run.runId, key)),
    );
    const facts: ResultFacts[] = [];
    for (let i = 0; i < keys.length; i++) {
      const doc = docs[i] ?? (await this.rebuildManifest(run, keys[i]));
      if (doc) facts.push(...readResultBatch(doc));
    }
    return facts;
  }

  /** Stored results by `_id`, in order; ids of deleted results (retention) are left out. */
  async findByIds(ids: readonly string[]): Promise<StoredResultRecord[]> {
    return (await findByIds(this.results, ids)).filter((doc): doc is StoredResult => doc !== null);
  }

  /** Retention: drops raw results (and their manifests) of `project` from days before `day`. */
  async deleteBefore(project: string, day: string): Promise<number> {
    const result = await this.results.deleteMany({ project, day: { $lt: day } }).exec();
    await this.manifests.deleteMany({ project, day: { $lt: day } }).exec();
    return result.deletedCount;
  }

  private async rebuildManifest(run: BatchRun, batch: string): Promise<ResultBatch | null> {
    const docs: StoredResult[] = [];
    for (;;) {
      const doc = await this.results
        .findById(storedResultId(run.project, run.runId, batch, docs.length))
        .lean<StoredResult>()
        .exec();
      if (!doc) break;
      docs.push(doc);
    }
    if (docs.length === 0) return null;
    const manifest = toResultBatch(run, batch, docs);
    await insertNew(this.manifests, [manifest]);
    return manifest;
  }
}
