import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ResultStatus } from '@testpulse/domain';
import { AnyBulkWriteOperation, Model } from 'mongoose';
import { TestCase } from './schemas/test-case.schema';

export type TestCaseRecord = TestCase;

export interface CatalogueUpdate {
  testId: string;
  project: string;
  suite: string;
  name: string;
  file?: string;
  status: ResultStatus;
  previousStatus?: ResultStatus;
}

const CHUNK = 1000;

@Injectable()
export class CatalogueRepository {
  constructor(@InjectModel(TestCase.name) private readonly tests: Model<TestCase>) {}

  async findMany(testIds: string[]): Promise<Map<string, TestCaseRecord>> {
    const found = new Map<string, TestCaseRecord>();
    for (let i = 0; i < testIds.length; i += CHUNK) {
      const docs = await this.tests
        .find({ _id: { $in: testIds.slice(i, i + CHUNK) } })
        .lean<TestCase[]>()
        .exec();
      for (const doc of docs) found.set(doc._id, doc);
    }
    return found;
  }

  /**
   * Records a run's outcomes. Idempotent: first/last seen use $min/$max, and the last status only
   * moves forward in time (a late, older run does not overwrite a newer outcome).
   */
  async record(updates: CatalogueUpdate[], runKey: string, at: Date): Promise<void> {
    for (let i = 0; i < updates.length; i += CHUNK) {
      const ops: AnyBulkWriteOperation<TestCase>[] = updates.slice(i, i + CHUNK).flatMap((u) => [
        {
          updateOne: {
            filter: { _id: u.testId },
            update: {
              $setOnInsert: { project: u.project, suite: u.suite, name: u.name, file: u.file },
              $min: { firstSeen: at },
              $max: { lastSeen: at },
            },
            upsert: true,
          },
        },
        {
          updateOne: {
            filter: { _id: u.testId, lastSeen: at },
            update: { $set: { lastStatus: u.status, lastRunKey: runKey, previousStatus: u.previousStatus } },
          },
        },
      ]);
      await this.tests.bulkWrite(ops, { ordered: true });
    }
  }
}
