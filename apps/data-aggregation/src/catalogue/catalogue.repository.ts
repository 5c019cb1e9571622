import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ResultStatus } from '@testpulse/domain';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { insertNew } from '../storage/insert-new';
import { CatalogueEntry, SuiteCatalogue, suiteCatalogueId } from './schemas/suite-catalogue.schema';

export interface CatalogueUpdate {
  testId: string;
  suite: string;
  name: string;
  file?: string;
  status: ResultStatus;
  previousStatus?: ResultStatus;
  /** Whether this run is the newest the test has seen (only then its status becomes the last). */
  newest: boolean;
}

const CHUNK = 200;

@Injectable()
export class CatalogueRepository {
  constructor(@InjectModel(SuiteCatalogue.name) private readonly suites: Model<SuiteCatalogue>) {}

  /** The known tests of the given suites, by testId. */
  async findTests(project: string, suites: string[]): Promise<Map<string, CatalogueEntry>> {
    const found = new Map<string, CatalogueEntry>();
    for (let i = 0; i < suites.length; i += CHUNK) {
      const ids = suites.slice(i, i + CHUNK).map((suite) => suiteCatalogueId(project, suite));
      const docs = await this.suites.find({ _id: { $in: ids } }).lean<SuiteCatalogue[]>().exec();
      for (const doc of docs) for (const [testId, entry] of Object.entries(doc.tests ?? {})) found.set(testId, entry);
    }
    return found;
  }

  /**
   * Records a run's outcomes, one update per suite. Idempotent: first and last seen use $min/$max,
   * and the last status is only set by the newest run.
   */
  async record(project: string, updates: CatalogueUpdate[], runKey: string, at: Date): Promise<void> {
    const bySuite = new Map<string, CatalogueUpdate[]>();
    for (const update of updates) bySuite.set(update.suite, [...(bySuite.get(update.suite) ?? []), update]);
    const suites = [...bySuite.keys()];
    for (let i = 0; i < suites.length; i += CHUNK) {
      const chunk = suites.slice(i, i + CHUNK);
      await this.ensureExist(project, chunk);
      const ops: AnyBulkWriteOperation<SuiteCatalogue>[] = chunk.map((suite) => {
        const $set: Record<string, unknown> = {};
        const $min: Record<string, Date> = {};
        const $max: Record<string, Date> = {};
        for (const u of bySuite.get(suite) ?? []) {
          const path = `tests.${u.testId}`;
          $min[`${path}.firstSeen`] = at;
          $max[`${path}.lastSeen`] = at;
          $set[`${path}.name`] = u.name;
          if (u.file) $set[`${path}.file`] = u.file;
          if (u.newest) {
            $set[`${path}.lastStatus`] = u.status;
            $set[`${path}.lastRunKey`] = runKey;
            if (u.previousStatus) $set[`${path}.previousStatus`] = u.previousStatus;
          }
        }
        return { updateOne: { filter: { _id: suiteCatalogueId(project, suite) }, update: { $set, $min, $max } } };
      });
      await this.suites.bulkWrite(ops, { ordered: true });
    }
  }

  /** Creates the suite documents that do not exist yet, empty. */
  private async ensureExist(project: string, suites: string[]): Promise<void> {
    const ids = suites.map((suite) => suiteCatalogueId(project, suite));
    const docs = await this.suites.find({ _id: { $in: ids } }, { _id: 1 }).lean<Array<{ _id: string }>>().exec();
    const existing = new Set(docs.map((doc) => doc._id));
    const missing = suites.filter((suite) => !existing.has(suiteCatalogueId(project, suite)));
    await insertNew(
      this.suites,
      missing.map((suite) => ({ _id: suiteCatalogueId(project, suite), project, suite, tests: {} })),
    );
  }
}
